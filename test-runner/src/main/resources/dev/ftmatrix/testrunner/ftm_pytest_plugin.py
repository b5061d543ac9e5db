"""pytest plugin loaded by ftmatrix: writes one JSON line per event to $FTM_EVENTS, outside pytest's capture,
so that the parent still knows which test was running when the interpreter crashed or hung.

$FTM_SELECT, when set, names a file of node ids: only those run (the parent restarts after a crash).
$FTM_DEADLINE, when set, is the per-test deadline in seconds: faulthandler dumps every thread and exits.
$FTM_FAULTS names the file faulthandler writes to (a crash's or a hang's stacks of every thread): a file of its
own, because pytest's capture redirects file descriptors 1 and 2 while a test runs.
"""
import faulthandler
import json
import os

_fd = None
_deadline = float(os.environ.get("FTM_DEADLINE", "0") or 0)
_faults = None   # opened when pytest loads this as its plugin; the harness driver only imports its helpers
_worst = {}
_RANK = {"pass": 0, "skip": 1, "fail": 2, "error": 3}


def _emit(**event):
    global _fd
    if _fd is None:
        _fd = os.open(os.environ["FTM_EVENTS"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.write(_fd, (json.dumps(event) + "\n").encode())


def pytest_configure(config):
    global _faults
    register_markers(config)
    if os.environ.get("FTM_FAULTS") and _faults is None:
        _faults = open(os.environ["FTM_FAULTS"], "a", encoding="utf-8")
        faulthandler.enable(file=_faults, all_threads=True)


def register_markers(config):
    """pytest-run-parallel's markers, which ftmatrix honours without that plugin installed."""
    config.addinivalue_line("markers", "thread_unsafe: run this test in one thread only (pytest-run-parallel)")
    config.addinivalue_line("markers", "parallel_threads(n): threads for this test (pytest-run-parallel)")


def pytest_collection_modifyitems(session, config, items):
    select = os.environ.get("FTM_SELECT")
    if select:
        with open(select, encoding="utf-8") as f:
            wanted = set(line.rstrip("\n") for line in f if line.strip())
        keep = [i for i in items if i.nodeid in wanted]
        config.hook.pytest_deselected(items=[i for i in items if i.nodeid not in wanted])
        items[:] = keep


def pytest_collection_finish(session):
    _emit(ev="collected", ids=[i.nodeid for i in session.items])


def pytest_runtest_logstart(nodeid, location):
    _emit(ev="start", id=nodeid)
    if _deadline > 0 and _faults is not None:
        faulthandler.dump_traceback_later(_deadline, exit=True, file=_faults)


def worst(prev, report):
    """The test's outcome so far, (outcome, text), updated with one phase's report: the worst phase wins."""
    if report.passed:
        outcome = "pass"
    elif report.skipped:
        outcome = "skip"
    elif report.when == "call":
        outcome = "fail"
    else:
        outcome = "error"
    if prev is None or _RANK[outcome] > _RANK[prev[0]] or (report.when == "call" and prev[0] == "pass"):
        text = report.longreprtext if outcome in ("fail", "error", "skip") else ""
        return outcome, text[-4000:]
    return prev


def pytest_runtest_logreport(report):
    _worst[report.nodeid] = worst(_worst.get(report.nodeid), report)


def pytest_runtest_logfinish(nodeid, location):
    if _deadline > 0 and _faults is not None:
        faulthandler.cancel_dump_traceback_later()
    outcome, text = _worst.pop(nodeid, ("error", "no report"))
    _emit(ev="result", id=nodeid, outcome=outcome, message=text)
