# mirror fixture: Cython
cdef extern from "Python.h":
    ctypedef struct PyListObject:
        Py_ssize_t allocated

ctypedef struct ListHead:
    Py_ssize_t ob_refcnt  # expect: struct-mirror
    void *ob_type  # expect: struct-mirror
    Py_ssize_t count
