/* scan fixture: the weakref and sequence APIs */
#include <Python.h>

PyObject *
deref(PyObject *ref, PyObject *seq)
{
    PyObject *o = PyWeakref_GetObject(ref);  /* expect: borrowed-reference */
    PyObject *p = PyWeakref_GET_OBJECT(ref);  /* expect: borrowed-reference */
    PyObject *q = PySequence_Fast_GET_ITEM(seq, 0);  /* expect: unlocked-iteration */
    (void)p; (void)q;
    return o;
}
