"""Prints a project's static build requirements (PEP 518) as one JSON line; reads pyproject.toml, runs no project code."""
import json
import os
import sys
import tomllib

path = os.path.join(sys.argv[1], "pyproject.toml")
requires, backend, backend_path = ["setuptools>=40.8.0"], "setuptools.build_meta:__legacy__", []
if os.path.exists(path):
    with open(path, "rb") as f:
        system = tomllib.load(f).get("build-system", {})
    if "requires" in system:
        requires = system["requires"]
        backend = system.get("build-backend", "setuptools.build_meta:__legacy__")
        backend_path = system.get("backend-path", [])
if backend.startswith("setuptools"):
    requires = requires + ["wheel"]   # what setuptools asks for dynamically on older versions
print("FTM-BUILD-REQUIRES " + json.dumps({"requires": requires, "backend": backend, "backendPath": backend_path}))
