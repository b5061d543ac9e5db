# scan fixture: every source rule fires on the line marked "expect: <rule>" and nowhere else
from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "unsafe",
            ["src/unsafe.c", "src/helpers.c"],
            define_macros=[("Py_LIMITED_API", "0x030900f0")],  # expect: limited-api
            py_limited_api=True,  # expect: limited-api
        )
    ],
)
