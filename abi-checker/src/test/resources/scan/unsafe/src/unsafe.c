/* scan fixture: unsafe patterns; a rule fires exactly on each line marked "expect: <rule>" */
#define PY_SSIZE_T_CLEAN
#define Py_LIMITED_API 0x030900f0  /* expect: limited-api */
#include <Python.h>

static PyObject *cache = NULL;  /* expect: mutable-static */
static int initialised;  /* expect: mutable-static */
static const char *const NAME = "unsafe";

/* PyDict_GetItem(d, k) in a comment is not a call, nor is "PyList_GetItem" in a string */
static const char *doc = "uses PyList_GetItem and ->ob_refcnt";

static PyObject *
lookup(PyObject *self, PyObject *args)
{
    PyObject *d, *k, *l;
    if (!PyArg_ParseTuple(args, "OOO", &d, &k, &l)) {
        return NULL;
    }
    PyObject *a = PyDict_GetItem(d, k);  /* expect: borrowed-reference */
    PyObject *b = PyDict_GetItemString(d, "x");  /* expect: borrowed-reference */
    PyObject *c = PyDict_GetItemWithError(d, k);  /* expect: borrowed-reference */
    PyObject *e = PyList_GetItem(l, 0);  /* expect: borrowed-reference */
    PyObject *f = PyList_GET_ITEM(l, 0);  /* expect: borrowed-reference */
    PyObject *g = PyDict_SetDefault(d, k, Py_None);  /* expect: borrowed-reference */
    PyObject *m = PyImport_AddModule("sys");  /* expect: borrowed-reference */
    PyObject *glob = PyEval_GetGlobals();  /* expect: borrowed-reference */
    PyObject *r = PyDict_GetItemRef(d, k, &a) < 0 ? NULL : a;
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(d, &pos, &key, &value)) {  /* expect: unlocked-iteration */
    }
    // PyWeakref_GetObject(ref) is commented out
    Py_ssize_t n = a->ob_refcnt;  /* expect: refcount-field */
    PyTypeObject *t = a->ob_type;  /* expect: type-field */
    Py_REFCNT(b) = 1;  /* expect: refcount-assignment */
    if (Py_REFCNT(b) == 1) {
        n++;
    }
    (void)c; (void)e; (void)f; (void)g; (void)m; (void)glob; (void)r; (void)t; (void)n;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"lookup", lookup, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "unsafe", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_unsafe(void)  /* expect: gil-declaration-missing */
{
    return PyModule_Create(&moduledef);
}
