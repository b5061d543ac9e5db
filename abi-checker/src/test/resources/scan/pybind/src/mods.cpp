#include <pybind11/pybind11.h>
namespace py = pybind11;

PYBIND11_MODULE(fast, m, py::mod_gil_not_used()) {
    m.def("one", [] { return 1; });
}

PYBIND11_MODULE(slow, m) {  // expect: gil-declaration-missing
    m.def("two", [] { return 2; });
}

PYBIND11_MODULE(locked, m, py::mod_gil_used()) {  // expect: gil-declared-used
    m.def("three", [] { return 3; });
}
