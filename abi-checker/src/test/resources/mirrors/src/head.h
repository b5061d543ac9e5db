/* mirror fixture: struct-mirror findings are marked on the lines where they are expected */
#include <Python.h>

/* a hand-written copy of the GIL build's object header */
typedef struct {
    Py_ssize_t ob_refcnt;  /* expect: struct-mirror */
    PyTypeObject *ob_type;  /* expect: struct-mirror */
} fake_object;

/* a copy laid out for each build: correct */
struct ok_object {
#ifdef Py_GIL_DISABLED
    uintptr_t ob_tid;
    uint16_t _padding;
    PyMutex ob_mutex;
    uint8_t ob_gc_bits;
    uint32_t ob_ref_local;
    Py_ssize_t ob_ref_shared;
#else
    Py_ssize_t ob_refcnt;
#endif
    PyTypeObject *ob_type;
};

/* an object that embeds the real header: not a mirror */
typedef struct {
    PyObject ob_base;
    double value;
} MyFloat;
