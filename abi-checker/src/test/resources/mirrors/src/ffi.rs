// mirror fixture: pyo3-ffi style bindings
use std::os::raw::c_char;

#[repr(C)]
pub struct PyMutex {
    _bits: u8,
}

/// Correct for both builds, the way pyo3-ffi 0.23 writes it.
#[repr(C)]
pub struct PyObject {
    #[cfg(py_sys_config = "Py_TRACE_REFS")]
    pub _ob_next: *mut PyObject,
    #[cfg(Py_GIL_DISABLED)]
    pub ob_tid: libc::uintptr_t,
    #[cfg(Py_GIL_DISABLED)]
    pub _padding: u16,
    #[cfg(Py_GIL_DISABLED)]
    pub ob_mutex: PyMutex,
    #[cfg(Py_GIL_DISABLED)]
    pub ob_gc_bits: u8,
    #[cfg(Py_GIL_DISABLED)]
    pub ob_ref_local: u32,
    #[cfg(Py_GIL_DISABLED)]
    pub ob_ref_shared: Py_ssize_t,
    #[cfg(not(Py_GIL_DISABLED))]
    pub ob_refcnt: Py_ssize_t,
    pub ob_type: *mut PyTypeObject,
}

#[repr(C)]
pub struct PyVarObject {
    pub ob_base: PyObject,
    pub ob_size: Py_ssize_t,
}

#[repr(C)]
pub struct PyListObject {
    pub ob_base: PyVarObject,
    pub ob_item: *mut *mut PyObject,
    pub allocated: Py_ssize_t,
}

/// Written for the GIL build only: wrong on free-threaded CPython.
#[repr(C)]
pub struct PyTupleObject {  // expect: struct-mirror
    pub ob_refcnt: Py_ssize_t,  // expect: struct-mirror
    pub ob_type: *mut PyTypeObject,  // expect: struct-mirror
    pub ob_size: Py_ssize_t,  // expect: struct-mirror
    pub ob_item: [*mut PyObject; 1],  // expect: struct-mirror
}

#[repr(C)]
pub struct PyMethodDef {
    pub ml_name: *const c_char,
    pub ml_meth: Option<unsafe extern "C" fn(slf: *mut PyObject, args: *mut PyObject) -> *mut PyObject>,
    pub ml_flags: i32,
    pub ml_doc: *const c_char,
}

/// A variable-size object header under names of its own, and an object cast to it: a mirror found by its shape.
#[repr(C)]
pub struct Sized {
    pub refs: isize,  // expect: struct-mirror
    pub kind: *mut PyTypeObject,  // expect: struct-mirror
    pub len: isize,  // expect: struct-mirror
}

pub unsafe fn len_of(op: *mut PyObject) -> isize {
    (*(op as *mut Sized)).len
}
