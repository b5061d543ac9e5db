# cython: language_level=3, freethreading_compatible=True
from cpython.dict cimport PyDict_GetItem

def get(d, k):
    # PyDict_GetItem in a comment is fine
    return <object>PyDict_GetItem(d, k)  # expect: borrowed-reference
