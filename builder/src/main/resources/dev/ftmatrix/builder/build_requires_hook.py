"""Asks a project's PEP 517 backend for its dynamic build requirements, as pip does before a build, and prints them as
one JSON line. Runs project code: only in the sandbox, in a throwaway environment with the static requirements.

argv: BACKEND (module[:object]) BACKEND_PATH (a JSON list, relative to the project); the project is the working
directory."""
import importlib
import json
import os
import sys

backend_name, backend_path = sys.argv[1], json.loads(sys.argv[2])
# pyproject_hooks puts backend-path first on sys.path, so an in-tree backend wins over an installed one
sys.path[:0] = [os.path.abspath(p) for p in backend_path]
module, _, attrs = backend_name.partition(":")
backend = importlib.import_module(module)
for a in filter(None, attrs.split(".")):
    backend = getattr(backend, a)
hook = getattr(backend, "get_requires_for_build_wheel", None)
# pip passes config_settings=None when the user gave no --config-settings; the offline build will ask the same
requires = [] if hook is None else list(hook(None))
print("FTM-DYNAMIC-REQUIRES " + json.dumps(requires), flush=True)
