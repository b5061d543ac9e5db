/* build-dependent internals: flagged only with a measured delta */
#include <Python.h>

static int
is_shared(PyObject *op)
{
    if (_Py_IsImmortal(op)) {  /* expect: build-dependent-internal */
        return 1;
    }
#ifdef Py_GIL_DISABLED
    /* exists only in the build that compiles this line: fine */
    return _Py_IsOwnedByCurrentThread(op) == 0;
#else
    return Py_REFCNT(op) > 1 && _PyObject_GC_IS_TRACKED(op);
#endif
}

static int
owned(PyObject *op)
{
    return _Py_IsOwnedByCurrentThread(op);  /* expect: build-dependent-internal */
}
