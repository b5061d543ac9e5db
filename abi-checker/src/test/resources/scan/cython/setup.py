from Cython.Build import cythonize
from setuptools import setup

setup(ext_modules=cythonize(["pkg/*.pyx"], compiler_directives={"language_level": 3, "freethreading_compatible": False}))  # expect: gil-declared-used
