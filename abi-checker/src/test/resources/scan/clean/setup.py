# scan fixture: nothing here may be reported
import sysconfig
from setuptools import Extension, setup

free_threaded = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
macros = [] if free_threaded else [("Py_LIMITED_API", "0x030900f0")]

setup(
    ext_modules=[
        Extension("clean", ["src/clean.c"], define_macros=macros,
                  py_limited_api=not free_threaded)
    ],
)
