"""Imports the given modules with warnings recorded and tells whether the GIL is enabled afterwards and which module
the interpreter named when it re-enabled the GIL. Run as a script it prints one line, FTM-IMPORT {json}; the FFM
harness calls probe() instead."""
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


if __name__ == "__main__":
    print("FTM-IMPORT " + json.dumps(probe(sys.argv[1:])))
