/* scan fixture: free-threading-ready code; PyDict_GetItem(d, k) and ->ob_refcnt only in comments */
#define PY_SSIZE_T_CLEAN
#include <pyconfig.h>
#ifndef Py_GIL_DISABLED
#define Py_LIMITED_API 0x030d0000
#endif
#include <Python.h>

static const char *hint = "never call PyList_GetItem or Py_REFCNT(o) = 1";

static PyObject *
lookup(PyObject *self, PyObject *args)
{
    PyObject *d, *k, *value;
    if (!PyArg_ParseTuple(args, "OO", &d, &k)) {
        return NULL;
    }
    if (PyDict_GetItemRef(d, k, &value) < 0) {
        return NULL;
    }
    PyObject *item = PyList_GetItemRef(d, 0);
    Py_XDECREF(item);
    if (Py_REFCNT(d) == 1 && Py_TYPE(d) == &PyDict_Type) {
        static int calls;
        calls++;
    }
    Py_BEGIN_CRITICAL_SECTION(d);
    Py_END_CRITICAL_SECTION();
    return value ? value : Py_NewRef(Py_None);
}

static PyMethodDef methods[] = {
    {"lookup", lookup, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "clean", NULL, 0, methods, slots,
};

PyMODINIT_FUNC
PyInit_clean(void)
{
    return PyModuleDef_Init(&moduledef);
}
