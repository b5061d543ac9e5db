"""Imports extension modules and tells what that did to the GIL. Two entry points:

probe(names), also run as `import_probe.py NAME...` (one line, FTM-IMPORT {json}): the modules imported one after
another in this interpreter with warnings recorded; whether the GIL was enabled before and is afterwards, which module
the interpreter named when it re-enabled the GIL, and each import's error. The FFM harness calls it in the interpreter
that then runs the tests, and runs the script with PYTHON_GIL unset. It imports nothing beyond what it needs, as the
tests' interpreter sees what it imports.

`import_probe.py --fresh SPEC.json` (a wheel's modules, and a build's when there is no harness): each module with
PYTHON_GIL unset in fresh interpreters, one FTM-IMPORT line of JSON per module: imported or the error, the GIL's state
after the import, CPython's RuntimeWarning, and every module the interpreter said needed the GIL. CPython warns only
for the first such module in a process, but with -v it writes "# loading module 'X', which requires the GIL" for each,
which is how all of them are named.

First the modules are imported one after another in one fresh interpreter (a wheel's modules share their imports:
scipy's 109 import numpy once, not 109 times). A module's result from there is kept only when it imported and the GIL
was still off before its import, so that the GIL's state after it is its own doing, and the -v lines written during
its import are its own; or when CPython named it as requiring the GIL as that interpreter loaded it (a package whose
import loads all its modules). The modules after one that turned the GIL on go on in a fresh interpreter, and so on. A module
that failed there, or whose import the interpreter did not survive or finish, is imported again alone in its own
fresh interpreter, and that is its result: a failure is never reported from a shared interpreter.

Runs in the sandbox; imports nothing of the project itself but the named modules.
"""
import importlib
import json
import re
import sys
import warnings


def probe(names):
    result = {"imported": [], "errors": {}, "gilEnabledBefore": None, "gilEnabledAfter": None, "reenabledBy": ""}
    check = getattr(sys, "_is_gil_enabled", None)
    result["gilEnabledBefore"] = check() if check else None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for name in names:
            try:
                importlib.import_module(name)
                result["imported"].append(name)
            except Exception as e:  # a module that fails to import is reported, not fatal
                result["errors"][name] = "%s: %s" % (type(e).__name__, e)
    for w in caught:
        m = re.search(r"to load module '([^']+)'", str(w.message))
        if issubclass(w.category, RuntimeWarning) and m and not result["reenabledBy"]:
            result["reenabledBy"] = m.group(1)
    result["gilEnabledAfter"] = check() if check else None
    return result

CHILD = r'''
import importlib, json, sys, sysconfig, traceback, warnings
free_threaded = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
for name in sys.argv[1:]:
    # on a GIL build the GIL is always on: no import's doing
    before = sys._is_gil_enabled() if free_threaded else False
    sys.stderr.write("# FTM-BEGIN %s\n" % name)
    sys.stderr.flush()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            importlib.import_module(name)
            ok, error = True, ""
        except BaseException as e:
            ok, error = False, "".join(traceback.format_exception_only(type(e), e)).strip()
    warns = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning) and "GIL" in str(w.message)]
    gil = sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True
    sys.stderr.write("# FTM-END %s\n" % name)
    sys.stderr.flush()
    sys.__stdout__.write("FTM-CHILD " + json.dumps({"module": name, "ok": ok, "error": error, "gil": gil,
                                                    "gilBefore": before, "warnings": warns}) + "\n")
    sys.__stdout__.flush()
'''
NEEDS_GIL = re.compile(r"^# loading module '([^']+)', which requires the GIL", re.M)
WINDOW = re.compile(r"^# FTM-BEGIN (\S+)\n(.*?)^# FTM-END \1$", re.M | re.S)


def env():
    import os
    return {k: v for k, v in os.environ.items() if k not in ("PYTHON_GIL", "PYTHONPATH", "PYTHONHOME")}


def text(b):
    return b.decode("utf-8", "replace") if isinstance(b, bytes) else (b or "")


def interpreter(names, deadline):
    """Imports names in order in one fresh interpreter: (stdout, stderr, return code or None when it timed out)."""
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory() as cwd:   # an empty directory: nothing shadows the installed package
        try:
            p = subprocess.run([sys.executable, "-I", "-v", "-c", CHILD] + names, cwd=cwd, env=env(),
                               capture_output=True, timeout=deadline)
            return text(p.stdout), text(p.stderr), p.returncode
        except subprocess.TimeoutExpired as e:
            return text(e.stdout), text(e.stderr), None


def results(out):
    return [json.loads(l[len("FTM-CHILD "):]) for l in out.splitlines() if l.startswith("FTM-CHILD ")]


def alone(name, deadline):
    out, err, code = interpreter([name], deadline)
    needs = sorted(set(NEEDS_GIL.findall(err)))
    found = results(out)
    if code is None and not found:
        return {"module": name, "ok": False, "error": "import did not finish in %d s" % deadline, "gil": None,
                "warnings": [], "needsGil": needs}
    if not found:
        why = "the interpreter ended with %s before the import finished" % (
            "signal %d" % -code if code < 0 else "exit code %d" % code)
        tail = [l for l in err.splitlines() if not l.startswith("#") and not l.startswith("import ")][-5:]
        return {"module": name, "ok": False, "error": why + (": " + " | ".join(tail) if tail else ""), "gil": None,
                "warnings": [], "needsGil": needs}
    r = found[0]
    r.pop("gilBefore", None)
    r.update(needsGil=needs)
    return r


def together(names, deadline):
    """One shared interpreter over names, in order: the results that stand (see the module's doc) by name, and the
    modules that must be imported alone (failed, or the interpreter ended or was stopped during their import)."""
    out, err, code = interpreter(names, deadline)
    windows = {m.group(1): m.group(2) for m in WINDOW.finditer(err)}
    started = set(re.findall(r"^# FTM-BEGIN (\S+)$", err, re.M))
    kept, alone, named = {}, [], set()
    reported = results(out)
    for r in reported:
        name = r["module"]
        lines = set(NEEDS_GIL.findall(windows.get(name, "")))
        named |= lines
        if not r["ok"] or name not in windows:
            alone.append(name)
        elif r.pop("gilBefore") is False:
            r.update(needsGil=sorted(lines))
            kept[name] = r
        elif name in named:
            # CPython named it as it loaded it here (pandas' package import loads all 44): its own doing, as alone
            r.update(needsGil=sorted(lines | {name}))
            kept[name] = r
    done = {r["module"] for r in reported}
    alone += [n for n in names if n in started and n not in done]   # the import the interpreter did not survive
    return kept, alone


def rounds(modules, deadline):
    """Shared interpreters one after another: each goes on until the GIL is turned on (the module that did it is
    kept: the GIL was off before it); the modules after it go to a fresh one. Returns kept results and the rest."""
    kept, alone, pending = {}, [], list(modules)
    while pending:
        k, a = together(pending, deadline)
        kept.update(k)
        alone += a
        pending = [m for m in pending if m not in kept and m not in alone]
        if not k:
            break   # no progress: the rest alone
    return kept, alone + pending


def fresh(spec_file):
    import concurrent.futures
    with open(spec_file) as f:
        spec = json.load(f)
    deadline = spec.get("deadline", 120)
    modules = spec["modules"]
    kept = rounds(modules, deadline)[0] if len(modules) > 1 and spec.get("together", True) else {}
    for name in modules:
        if name in kept:
            print("FTM-IMPORT " + json.dumps(kept[name]), flush=True)
    rest = [m for m in modules if m not in kept]
    with concurrent.futures.ThreadPoolExecutor(spec.get("parallel", 2)) as ex:
        for r in ex.map(lambda m: alone(m, deadline), rest):
            print("FTM-IMPORT " + json.dumps(r), flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--fresh"]:
        fresh(sys.argv[2])
    else:
        print("FTM-IMPORT " + json.dumps(probe(sys.argv[1:])))
