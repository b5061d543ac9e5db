"""mirror fixture: a ctypes view of the object header"""
import ctypes


class PyObject(ctypes.Structure):  # expect: struct-mirror
    _fields_ = [
        ("ob_refcnt", ctypes.c_ssize_t),  # expect: struct-mirror
        ("ob_type", ctypes.c_void_p),  # expect: struct-mirror
    ]


class Unrelated(ctypes.Structure):
    _fields_ = [("x", ctypes.c_int), ("y", ctypes.c_int)]


class Head(ctypes.Structure):
    """the object header under names of its own, read off a live object: a mirror found by its shape"""
    _fields_ = [
        ("refs", ctypes.c_ssize_t),  # expect: struct-mirror
        ("kind", ctypes.c_void_p),  # expect: struct-mirror
    ]


def refcount(obj):
    return Head.from_address(id(obj)).refs
