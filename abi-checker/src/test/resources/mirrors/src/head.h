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

/* the object header under names of its own, and an object cast to it: a mirror found by its shape */
typedef struct {
    Py_ssize_t refs;  /* expect: struct-mirror */
    PyTypeObject *kind;  /* expect: struct-mirror */
} my_header;

static inline Py_ssize_t
refs_of(PyObject *op)
{
    return ((my_header *)op)->refs;
}

/* the same shape, and nothing is cast to it: a count and a type, not a mirror */
typedef struct {
    Py_ssize_t n;
    PyTypeObject *t;
} count_and_type;
