"""The Python side of ftmatrix's FFM harness: collects a project's tests with pytest and runs one test id per call.

pytest.main runs in a thread of its own whose test loop serves requests instead of running the suite. The Java
side calls, each from a thread attached with PyGILState_Ensure:
  start(rootdir, args_json, deadline) -> JSON {"ids": [...], "threadUnsafe": [...], "collectErrors": {id: text}}
  run_single(id, next, deadline) -> JSON {"outcome": "pass|fail|error|skip", "message": ...}: the whole protocol
  open_parallel(id, next, n, deadline) then, at once from n Java threads, follow(id); then
  close_parallel(id)          -> JSON result: fixtures are set up once and the test function's body runs once in
                                 each of the n calling threads, as pytest-run-parallel does
next is the id of the test that runs after this one ("" for none): fixtures they share stay set up.
The deadline (seconds) covers one call, or open to close: past it faulthandler dumps every thread's stack and ends
the process.
  finish(seconds)             ends the pytest session
Every call returns a value; a Python exception inside a test is a test result, never an exception of the call.
"""
import faulthandler
import json
import os
import queue
import sys
import threading

import pytest

import ftm_pytest_plugin

_requests = queue.Queue()
_collected = threading.Event()
_state = {"items": {}, "collect": None, "exit": None}
_slots = {}
_slots_lock = threading.Lock()
# faulthandler writes to a descriptor of its own, so that pytest's capture never hides a crash report
_fault_fd = os.dup(2)
# Its fatal-signal handlers would take SIGSEGV from the JVM, which uses it for itself, unless libjsig chains the two
# (the parent preloads it and says so); the deadline's watchdog is a thread and always works.
if os.environ.get("FTM_SIGNAL_CHAINING") == "1":
    faulthandler.enable(file=_fault_fd, all_threads=True)


def _thread_unsafe(item):
    if item.get_closest_marker("thread_unsafe") is not None:
        return True
    m = item.get_closest_marker("parallel_threads")
    return m is not None and bool(m.args) and m.args[0] == 1


class _Slot:
    """One test's body shared by n Java threads."""

    def __init__(self, n):
        self.n = n
        self.published = threading.Event()
        self.body = None
        self.done = threading.Semaphore(0)
        self.errors = []
        self.lock = threading.Lock()

    def run_body(self):
        try:
            self.body()
        except BaseException as e:  # noqa: B902 - a test's failure, skip or exit is its result
            with self.lock:
                self.errors.append(e)
        finally:
            self.done.release()


class _Plugin:
    def __init__(self):
        self.reports = {}

    def pytest_configure(self, config):
        ftm_pytest_plugin.register_markers(config)

    def pytest_collectreport(self, report):
        if report.failed:
            errors = _state.setdefault("collect_errors", {})
            errors[report.nodeid or "<collection>"] = str(report.longreprtext)[-4000:]

    def pytest_collection_finish(self, session):
        _state["items"] = {i.nodeid: i for i in session.items}
        _state["collect"] = {
            "ids": [i.nodeid for i in session.items],
            "threadUnsafe": [i.nodeid for i in session.items if _thread_unsafe(i)],
            "collectErrors": _state.get("collect_errors", {}),
        }
        _collected.set()

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session):
        while True:
            req = _requests.get()
            if req is None:
                return True
            nodeid, following, reply = req
            item = _state["items"][nodeid]
            # the next test to run keeps the module- and session-scoped fixtures it shares with this one
            nextitem = _state["items"].get(following)
            self.reports.pop(nodeid, None)
            try:
                item.ihook.pytest_runtest_protocol(item=item, nextitem=nextitem)
                outcome, text = self.reports.pop(nodeid, ("error", "pytest made no report"))
            except BaseException as e:  # noqa: B902 - an internal error is reported for this test, the loop goes on
                outcome, text = "error", "%s: %s" % (type(e).__name__, e)
            reply.put({"outcome": outcome, "message": text})

    @pytest.hookimpl(tryfirst=True)
    def pytest_pyfunc_call(self, pyfuncitem):
        with _slots_lock:
            slot = _slots.get(pyfuncitem.nodeid)
        if slot is None:
            return None
        function = pyfuncitem.obj
        kwargs = {a: pyfuncitem.funcargs[a] for a in pyfuncitem._fixtureinfo.argnames}
        slot.body = lambda: function(**kwargs)
        slot.published.set()
        for _ in range(slot.n):
            slot.done.acquire()
        if slot.errors:
            first = slot.errors[0]
            if hasattr(first, "add_note"):
                first.add_note("(failed in %d of %d threads)" % (len(slot.errors), slot.n))
            raise first
        return True

    def pytest_runtest_logreport(self, report):
        self.reports[report.nodeid] = ftm_pytest_plugin.worst(self.reports.get(report.nodeid), report)


def start(rootdir, args_json, deadline):
    arm(deadline)
    args = json.loads(args_json)
    os.chdir(rootdir)

    def serve():
        try:
            _state["exit"] = int(pytest.main(
                ["-p", "no:cacheprovider", "-p", "no:faulthandler", "--capture=sys", "-q",
                 "--continue-on-collection-errors", "--import-mode=importlib", "--rootdir", rootdir] + args,
                plugins=[_Plugin()]))
        finally:
            _collected.set()

    _state["thread"] = threading.Thread(target=serve, name="ftm-pytest", daemon=True)
    _state["thread"].start()
    _collected.wait()
    disarm()
    if _state["collect"] is None:
        return json.dumps({"ids": [], "threadUnsafe": [], "collectErrors": _state.get("collect_errors", {}),
                           "exit": _state["exit"]})
    return json.dumps(_state["collect"])


def run_single(nodeid, following, deadline):
    arm(deadline)
    reply = queue.Queue()
    _requests.put((nodeid, following, reply))
    result = reply.get()
    disarm()
    return json.dumps(result)


def open_parallel(nodeid, following, n, deadline):
    arm(deadline)
    with _slots_lock:
        _slots[nodeid] = _Slot(int(n))
    reply = queue.Queue()
    _slots[nodeid].reply = reply
    _requests.put((nodeid, following, reply))
    return "ok"


def follow(nodeid):
    with _slots_lock:
        slot = _slots[nodeid]
    # setup may fail or skip: then there is no body and the reply comes without one
    while not slot.published.wait(0.05):
        if not slot.reply.empty():
            slot.done.release()
            return "no body"
    slot.run_body()
    return "ran"


def close_parallel(nodeid):
    with _slots_lock:
        slot = _slots[nodeid]
    result = slot.reply.get()
    disarm()
    with _slots_lock:
        del _slots[nodeid]
    return json.dumps(result)


def arm(seconds):
    faulthandler.dump_traceback_later(float(seconds), exit=True, file=_fault_fd)
    return "ok"


def disarm():
    faulthandler.cancel_dump_traceback_later()
    return "ok"


def finish(seconds):
    """Ends the session: session-scoped fixtures are torn down (for at most `seconds`)."""
    _requests.put(None)
    _state["thread"].join(float(seconds))
    return "ok" if not _state["thread"].is_alive() else "session teardown passed its deadline"
