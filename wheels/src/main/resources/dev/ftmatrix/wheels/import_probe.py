"""Imports each named module in its own fresh interpreter (this venv's, PYTHON_GIL unset) and prints one
FTM-IMPORT line of JSON per module: imported or the error, the GIL's state after the import, CPython's RuntimeWarning,
and every module the interpreter said needed the GIL. CPython warns only for the first such module in a process, but
with -v it writes "# loading module 'X', which requires the GIL" for each, which is how all of them are named.

Runs in the sandbox; imports nothing of the project itself.
"""
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile

CHILD = r'''
import importlib, json, sys, traceback, warnings
name = sys.argv[1]
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
        importlib.import_module(name)
        ok, error = True, ""
    except BaseException as e:
        ok, error = False, "".join(traceback.format_exception_only(type(e), e)).strip()
warns = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning) and "GIL" in str(w.message)]
gil = sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True
sys.__stdout__.write("FTM-CHILD " + json.dumps({"ok": ok, "error": error, "gil": gil, "warnings": warns}) + "\n")
sys.__stdout__.flush()
'''
NEEDS_GIL = re.compile(r"^# loading module '([^']+)', which requires the GIL", re.M)


def probe(name, deadline):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHON_GIL", "PYTHONPATH", "PYTHONHOME")}
    with tempfile.TemporaryDirectory() as cwd:   # an empty directory: nothing shadows the installed package
        try:
            p = subprocess.run([sys.executable, "-I", "-v", "-c", CHILD, name], cwd=cwd, env=env, capture_output=True,
                               text=True, errors="replace", timeout=deadline)
        except subprocess.TimeoutExpired:
            return {"module": name, "ok": False, "error": "import did not finish in %d s" % deadline, "gil": None,
                    "warnings": [], "needsGil": []}
    line = next((l for l in p.stdout.splitlines() if l.startswith("FTM-CHILD ")), None)
    needs = sorted(set(NEEDS_GIL.findall(p.stderr)))
    if line is None:
        why = "the interpreter ended with %s before the import finished" % (
            "signal %d" % -p.returncode if p.returncode < 0 else "exit code %d" % p.returncode)
        tail = [l for l in p.stderr.splitlines() if not l.startswith("#") and not l.startswith("import ")][-5:]
        return {"module": name, "ok": False, "error": why + (": " + " | ".join(tail) if tail else ""), "gil": None,
                "warnings": [], "needsGil": needs}
    r = json.loads(line[len("FTM-CHILD "):])
    r.update(module=name, needsGil=needs)
    return r


def main():
    spec = json.load(open(sys.argv[1]))
    with concurrent.futures.ThreadPoolExecutor(spec.get("parallel", 2)) as ex:
        for r in ex.map(lambda m: probe(m, spec.get("deadline", 120)), spec["modules"]):
            print("FTM-IMPORT " + json.dumps(r), flush=True)


main()
