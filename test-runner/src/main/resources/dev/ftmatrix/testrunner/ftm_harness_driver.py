"""The Python side of ftmatrix's FFM harness: collects a project's tests with pytest and runs one test id per call.

pytest.main runs in a thread of its own whose test loop serves requests instead of running the suite. The Java
side calls, each from a thread attached with PyGILState_Ensure:
  start(rootdir, args_json, deadline) -> JSON {"ids": [...], "threadUnsafe": {id: reason}, "threadLimits": {id: n},
                                              "collectErrors": {id: text}, "droppedOptions": [...], "detector": ...}
Collection is the project's own: its rootdir, ini file, testpaths, import mode, conftest files and addopts, less
the options of plugins that are not installed (and pytest-xdist's, which would fork the suite away).
  serve()                     from each of n Java threads, for the whole plan: runs the bodies of concurrent steps
  run_plan(steps_json, opts_json) -> "ok": pytest's thread runs the steps in order, as pytest-run-parallel runs a
                              suite: a "single" step is the test's whole protocol; a "parallel" one sets its fixtures
                              up once and runs the test function's body once in each of n serving threads at once.
                              Each step's "start" and "result" events (and "added" steps: a concurrent failure is to be
                              run alone, by a fresh child) are appended to the event file as they happen. The step after each
                              keeps the fixtures they share set up. The deadline (seconds) covers one step: past it
                              faulthandler dumps every thread's stack and ends the process.
  stop_serving(n)             ends the n serve() calls
  finish(seconds)             ends the pytest session
Every call returns a value; a Python exception inside a test is a test result, never an exception of the call.
"""
import faulthandler
import functools
import importlib.util
import json
import os
import queue
import inspect
import random
import re
import sys
import threading
import time

import pytest

import ftm_pytest_config
import ftm_pytest_plugin

_requests = queue.Queue()
_collected = threading.Event()
_state = {"items": {}, "collect": None, "exit": None}
_slots = {}
_runs = {}
_slots_lock = threading.Lock()
# faulthandler writes to a descriptor of its own, so that pytest's capture never hides a crash report
_fault_fd = os.dup(2)
# Its fatal-signal handlers would take SIGSEGV from the JVM, which uses it for itself, unless libjsig chains the two
# (the parent preloads it and says so); the deadline's watchdog is a thread and always works.
if os.environ.get("FTM_SIGNAL_CHAINING") == "1":
    faulthandler.enable(file=_fault_fd, all_threads=True)


def _limit(item, name):
    m = item.get_closest_marker(name)
    if m is None or not m.args:
        return None
    try:
        return int(m.args[0])
    except (TypeError, ValueError):
        return None   # "auto": as many as we run


def _thread_unsafe(item, detector):
    """Why the test must not run concurrently, or None: pytest-run-parallel's markers and, through its own code when
    it is installed (ftm installs it), its detection of thread-unsafe fixtures and calls."""
    m = item.get_closest_marker("thread_unsafe")
    if m is not None:
        return m.kwargs.get("reason") or "marked thread_unsafe"
    for name in ("parallel_threads", "parallel_threads_limit", "force_parallel_threads"):
        if _limit(item, name) == 1:
            return "marked %s(1)" % name
    if type(item).__name__ == "DoctestItem":
        return "a doctest (run single-threaded, as pytest-run-parallel does)"
    if getattr(item, "obj", None) is None:
        return "not a Python function (%s)" % type(item).__name__
    if detector is not None:
        try:
            unsafe, reason = detector._is_thread_unsafe(item)
        except Exception as e:  # noqa: B902 - detection failing is reported, and the test runs alone to be safe
            return "thread-safety detection failed (%s: %s)" % (type(e).__name__, e)
        if unsafe:
            return reason or "thread-unsafe (pytest-run-parallel)"
        return _redirects_fds(item)
    used = _FALLBACK_UNSAFE_FIXTURES & set(getattr(item, "fixturenames", ()))
    if used:
        return "uses thread-unsafe fixture(s): %s" % sorted(used)
    return _redirects_fds(item)


# Beyond pytest-run-parallel's list: redirecting the process's file descriptors 1 and 2 (wurlitzer, os.dup2) is
# process-wide, as its capfd fixture is; two copies at once swap each other's pipes (contourpy's test_write_cache).
_FD_REDIRECT = re.compile(r"\bwurlitzer\b|\bdup2\s*\(")


def _redirects_fds(item):
    obj = getattr(item.obj, "__func__", item.obj)   # a unittest method: the function, shared by its instances
    try:
        return _redirects_cache[obj]
    except (KeyError, TypeError):
        pass
    try:
        source = inspect.getsource(obj)
    except (OSError, TypeError):
        source = ""
    found = _FD_REDIRECT.search(source)
    why = None if not found else ("redirects the process's file descriptors (%s): process-wide, like capfd"
                                  % found.group(0).strip("( "))
    try:
        _redirects_cache[obj] = why   # the parameters of one test function share its source: read once
    except TypeError:
        pass
    return why


_redirects_cache = {}


# Only when pytest-run-parallel is missing: its fixture list, without its call detection.
_FALLBACK_UNSAFE_FIXTURES = {"capsys", "capteesys", "capsysbinary", "capfd", "capfdbinary", "monkeypatch", "recwarn"}


class _Slot:
    """One test's body shared by n Java threads."""

    def __init__(self, n, run=1):
        self.n = n
        self.run = run          # how many concurrent runs of this test so far, this one included
        self.arrived = 0
        self.copies = 0           # copies handed a thread index so far
        self.leader_lines = 0     # lines of the project's code the leading copies have run (FTM_INTERLEAVE)
        self.leader_done = False
        self.published = threading.Event()
        self.body = None
        self.done = threading.Semaphore(0)
        self.errors = []
        self.lock = threading.Lock()
        # all n start the body together, as pytest-run-parallel's threads do: without it, with the GIL, one copy of a
        # short body is over before the next thread wakes, and a test racing with itself looks safe on the baseline
        self.start = threading.Barrier(n)

    def run_body(self):
        with self.lock:
            copy = self.copies
            self.copies += 1
        try:
            try:
                self.start.wait(timeout=60)
            except threading.BrokenBarrierError:
                pass   # a thread that never came: the others still run
            leading = False
            # sys.settrace only where a trace is set: on the free-threaded build every call stops the world (all
            # threads), even settrace(None) with no trace on, which cost every copy of every test a pause
            traced = _INTERLEAVE and _gil_enabled()
            if traced:
                with self.lock:
                    index = self.arrived
                    self.arrived += 1
                leading = index > 0
                # and each run starts the first copy that many more lines behind the others (0, 1, 2, ... lines of
                # the project's code): a race between one copy's restore at its end and another's check in its
                # middle, or between two loop iterations setting a global, needs the copies that far apart
                skew = (self.run - 1) % _SKEW_RUNS
                while not leading and self.leader_lines < skew and not self.leader_done:
                    time.sleep(0.0001)
                sys.settrace(_interleaving(_state.get("rootdir", ()), self if leading else None))
            try:
                self.body(copy)
            finally:
                if traced:
                    sys.settrace(None)
                if leading:
                    self.leader_done = True
        except BaseException as e:  # noqa: B902 - a test's failure, skip or exit is its result
            with self.lock:
                self.errors.append(e)
        finally:
            self.done.release()


# FTM_INTERLEAVE=1 (the confirmation runs on a build with the GIL): at each line of the project's own code in its tree
# (tests, conftest), the thread pauses for a random moment, so the n copies of a test overlap line by line as they do without
# the GIL. With the GIL one copy of a short body is otherwise over before another thread even wakes, and a test that
# races with itself (a shared counter, a patched attribute) looks safe. Code in C, or installed, is not paused: a
# critical section an extension relies on the GIL for stays whole, so its races still show only without the GIL.
_INTERLEAVE = os.environ.get("FTM_INTERLEAVE") == "1"
_INTERLEAVED_LINES = 400
_SKEW_RUNS = 60


def _interleaving(root, leader=None):
    # pauses of random length, so the copies drift apart as well as overlap: a race between one copy's restore at
    # its end and another's check in its middle needs the two to be several lines apart
    # (at most _INTERLEAVED_LINES pauses a run: a test looping over thousands of lines would otherwise take minutes,
    # and the races sought are between the bodies' first steps and their ends, not inside long loops)
    pause = random.Random().random
    left = [_INTERLEAVED_LINES]

    def line(frame, event, arg):
        if event == "line":
            left[0] -= 1
            if left[0] < 0:
                return None
            if leader is not None:
                leader.leader_lines += 1
            time.sleep(pause() * 0.0006)
        return line

    def call(frame, event, arg):
        if left[0] <= 0:
            return None
        return line if root and frame.f_code.co_filename.startswith(root) else None   # a str or a tuple of them

    return call


class _Plugin:
    def __init__(self):
        self.reports = {}

    def pytest_addoption(self, parser):
        ftm_pytest_config.add_off_plugin_ini(parser)

    def pytest_configure(self, config):
        ftm_pytest_plugin.register_markers(config)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_load_initial_conftests(self, early_config, parser, args):
        """The project's addopts less what this environment cannot honour (see ftm_pytest_config)."""
        yield
        dropped = ftm_pytest_config.drop_addopts(early_config, parser, args)
        if dropped:
            _state["dropped"] = dropped

    def pytest_collectreport(self, report):
        if report.failed:
            errors = _state.setdefault("collect_errors", {})
            errors[report.nodeid or "<collection>"] = str(report.longreprtext)[-4000:]

    def pytest_collection_finish(self, session):
        _state["items"] = {i.nodeid: i for i in session.items}
        detector = session.config.pluginmanager.get_plugin("_run-parallel")
        unsafe, limits = {}, {}
        for i in session.items:
            why = _thread_unsafe(i, detector)
            if why is not None:
                unsafe[i.nodeid] = str(why)
            limit = _limit(i, "parallel_threads_limit")
            if limit is not None and limit > 1:
                limits[i.nodeid] = limit
        _state["collect"] = {
            "ids": [i.nodeid for i in session.items],
            "threadUnsafe": unsafe,
            "threadLimits": limits,
            "collectErrors": _state.get("collect_errors", {}),
            "droppedOptions": _state.get("dropped", []),
            "detector": "pytest-run-parallel" if detector is not None else "ftm (fixtures only)",
            "rootdir": str(session.config.rootpath),
        }
        _collected.set()

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session):
        # the process's stdout and stderr as the session began: a test that leaves them redirected or closed (a
        # wurlitzer pipe two copies swapped) must not break every test after it, nor pytest's own output
        _state["std"] = {fd: os.dup(fd) for fd in (1, 2)}
        while True:
            req = _requests.get()
            if req is None:
                return True
            try:
                req.run(self)
                answer = {"outcome": "pass"}
            except BaseException as e:  # noqa: B902 - ftm's own failure: run_plan raises it, the child reports it
                answer = {"failure": "the harness's plan loop failed: %s: %s" % (type(e).__name__, e)}
            with _plan_lock:
                _state.pop("pending", None)
            req.reply.put(answer)

    def protocol(self, nodeid, following):
        """The test's whole pytest protocol (setup, call, teardown) on this thread: its worst outcome and text."""
        _restore_std()
        item = _state["items"].get(nodeid)
        if item is None:
            return "error", "not collected in this session"
        # the next test to run keeps the module- and session-scoped fixtures it shares with this one
        nextitem = _state["items"].get(following)
        self.reports.pop(nodeid, None)
        try:
            item.ihook.pytest_runtest_protocol(item=item, nextitem=nextitem)
            return self.reports.pop(nodeid, ("error", "pytest made no report"))
        except BaseException as e:  # noqa: B902 - an internal error is reported for this test, the loop goes on
            return "error", "%s: %s" % (type(e).__name__, e)

    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_runtest_call(self, item):
        """In a concurrent run, the test's callable (a function, or a unittest TestCase's bound method) is replaced for
        the call phase, as pytest-run-parallel does, by one that hands its body to the n Java threads and waits."""
        with _slots_lock:
            slot = _slots.get(item.nodeid)
        original = getattr(item, "obj", None)
        if slot is None or original is None:
            yield
            return

        @functools.wraps(original)   # keeps what unittest and pytest read off it (__unittest_skip__, marks)
        def concurrent(*args, **kwargs):
            slot.body = lambda copy: original(*args, **_own_tmp(kwargs, copy, slot.run))
            slot.published.set()
            for _ in range(slot.n):
                slot.done.acquire()
            if slot.errors:
                first = slot.errors[0]
                if hasattr(first, "add_note"):
                    first.add_note("(failed in %d of %d threads)" % (len(slot.errors), slot.n))
                raise first

        item.obj = concurrent
        # With the GIL, the interpreter switches threads every 5 ms, so a race in the test's own Python code (two
        # copies patching one class attribute) seldom shows; switching as often as it can makes such a test fail
        # with the GIL too, where it belongs: thread-unsafe test, not free-threading failure. A C extension's critical
        # section holds the GIL whatever the interval, so its races still show only without the GIL.
        interval = sys.getswitchinterval()
        if _gil_enabled():
            sys.setswitchinterval(1e-6)
        try:
            yield
        finally:
            sys.setswitchinterval(interval)
            item.obj = original

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report):
        _restore_std()   # before pytest's terminal writes what happened
        self.reports[report.nodeid] = ftm_pytest_plugin.worst(self.reports.get(report.nodeid), report)


class _PlanRun:
    """The plan's steps run in order on pytest's thread, each logged to the event file as it starts and ends."""

    def __init__(self, steps, opts):
        self.plugin = None
        self.reply = None
        self.steps = [(s["phase"], s["id"], int(s["iteration"])) for s in steps]
        self.opts = opts
        self.done = 0
        self.added = []
        # O_APPEND, one write per event: lines of the Java side and of this one never interleave
        self.fd = os.open(opts["events"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)

    def write(self, kind, step, **more):
        event = {"ev": kind, "phase": step[0], "id": step[1], "iteration": step[2]}
        event.update(more)
        os.write(self.fd, (json.dumps(event) + "\n").encode("utf-8"))

    def run(self, plugin):
        self.plugin = plugin
        i = 0
        while i < len(self.steps):
            step = self.steps[i]
            following = self.steps[i + 1][1] if i + 1 < len(self.steps) else ""
            self.write("start", step)
            t0 = time.perf_counter()
            arm(self.opts["deadline"])
            if step[0] == "single":
                outcome, text = self.plugin.protocol(step[1], following)
            else:
                outcome, text = self.parallel(step[1], following)
            disarm()
            self.write("result", step, outcome=outcome, message=text, millis=round((time.perf_counter() - t0) * 1000))
            self.done = i + 1
            # a test that fails concurrently runs once more alone: a failure of its own, or one of running at once?
            # Not in this process: the concurrent copies may have left its state changed (wrapt's tests each wrap a
            # class attribute for good; a third run finds it wrapped twice and fails where a plain pytest run passes).
            # The Java side runs the added steps in a fresh child once this plan is done.
            alone = ("single", step[1], 1)
            if step[0] == "parallel" and outcome in ("fail", "error") and not self.opts["confirmOnly"] \
                    and alone not in self.steps and alone not in self.added:
                self.added.append(alone)
                self.write("added", alone)
            if self.opts["untilFailure"] and outcome not in ("pass", "skip"):
                # one failure is the evidence sought: the test's other runs are dropped
                self.steps[i + 1:] = [s for s in self.steps[i + 1:] if s[1] != step[1]]
            i += 1

    def parallel(self, nodeid, following):
        n = min(int(self.opts["threads"]), int(self.opts["limits"].get(nodeid, self.opts["threads"])))
        with _slots_lock:
            _runs[nodeid] = _runs.get(nodeid, 0) + 1
            slot = _slots[nodeid] = _Slot(n, _runs[nodeid])
        for _ in range(n):
            _bodies.put(slot)
        try:
            return self.plugin.protocol(nodeid, following)
        finally:
            if not slot.published.is_set():
                slot.published.set()   # no body (setup failed or skipped): the serving threads are let go
                for _ in range(n):
                    slot.done.acquire()
            with _slots_lock:
                del _slots[nodeid]

    def finish_unrun(self, message):
        for step in self.steps[self.done:]:
            self.write("result", step, outcome="error", message=message, millis=0)


def _own_tmp(kwargs, copy, run):
    """Each copy its own tmp_path and tmpdir, a directory of the test's, as pytest-run-parallel gives its threads:
    two copies writing the same file name in one directory is not the project's race."""
    if "tmp_path" not in kwargs and "tmpdir" not in kwargs:
        return kwargs
    own = dict(kwargs)
    name = "thread_%d_iter_%d" % (copy, run)
    if "tmp_path" in own:
        own["tmp_path"] = own["tmp_path"] / name
        own["tmp_path"].mkdir(exist_ok=True)
    if "tmpdir" in own:
        own["tmpdir"] = own["tmpdir"].ensure(name, dir=True)
    return own


def _restore_std():
    for fd, saved in _state.get("std", {}).items():
        os.dup2(saved, fd)


def _gil_enabled():
    check = getattr(sys, "_is_gil_enabled", None)
    return True if check is None else bool(check())


def start(rootdir, args_json, deadline):
    arm(deadline)
    args = json.loads(args_json)
    os.chdir(rootdir)
    _state["rootdir"] = (os.path.join(os.path.realpath(rootdir), ""), os.path.join(os.path.abspath(rootdir), ""))

    # the project's own configuration decides rootdir, testpaths and the import mode, as `pytest` in its root would;
    # ours only keeps the harness in charge: no cache, no xdist, and pytest-run-parallel (installed as the reference
    # for thread-safety detection) must not run tests concurrently itself
    # (capture by file descriptor, pytest's default, as a user's run and pytest-run-parallel's have it: on 3.13t,
    # --capture=sys costs about 1 ms a test, its in-memory text file's nested critical sections spinning on
    # sched_yield (2.1 million calls against 0.29 million for a 1,500-test suite); faulthandler's reports go to a
    # descriptor of their own, taken before pytest captures anything)
    # (pytest-timeout's signals need the main thread, which pytest does not run in here: the harness's own deadline
    # does its work; coverage only slows the tests down)
    # -x or --maxfail in addopts would end the session at the first failure (a collection error counts), leaving the
    # harness without its test loop: every test gets its own verdict, so there is no limit
    own = ftm_pytest_config.PLUGINS_OFF + ["--capture=fd", "-q"]
    if importlib.util.find_spec("pytest_run_parallel") is not None:
        own += ["--parallel-threads=1", "--iterations=1"]

    def serve():
        try:
            _state["exit"] = int(pytest.main(own + args, plugins=[_Plugin()]))
        finally:
            _collected.set()
            _session_ended()

    # what pytest says on stderr before it collects (a conftest that fails to import, a usage error) is kept, so that
    # a session that ends without collecting says why
    under = sys.stderr
    sys.stderr = _Tee(under)
    try:
        _state["thread"] = threading.Thread(target=serve, name="ftm-pytest", daemon=True)
        _state["thread"].start()
        _collected.wait()
    finally:
        said, sys.stderr = sys.stderr, under
    disarm()
    if _state["collect"] is None:
        return json.dumps({"ids": [], "threadUnsafe": {}, "threadLimits": {},
                           "collectErrors": _state.get("collect_errors", {}), "droppedOptions": _state.get("dropped", []),
                           "exit": _state["exit"], "startError": said.text() if _state["exit"] else ""})
    return json.dumps(_state["collect"])


class _Tee:
    """sys.stderr that also keeps the first 8,000 characters written to it."""

    def __init__(self, under):
        self._under = under
        self._kept = []
        self._size = 0

    def write(self, text):
        if self._size < 8000:
            self._kept.append(text[:8000 - self._size])
            self._size += len(self._kept[-1])
        return self._under.write(text)

    def text(self):
        return "".join(self._kept).strip()

    def __getattr__(self, name):
        return getattr(self._under, name)


# The thread that waits for a plan's reply blocks without a timeout: a thread of the harness that woke up now and
# then would allocate Python objects in the middle of a test (an exception per timeout), which a test counting
# gc.get_objects() sees as a leak of the project's (markupsafe 2.1.5's test_markup_leaks failed under load that way).
# When pytest's session ends, it answers a plan still waiting instead.
_plan_lock = threading.Lock()


def _session_ended():
    with _plan_lock:
        _state["ended"] = True
        pending = _state.pop("pending", None)
    if pending is not None:
        pending.reply.put(_ended_reply())


def _ended_reply():
    return {"outcome": "error", "message": "pytest's session ended before this test ran (exit %s): "
            "ftm's harness lost its test loop" % _state.get("exit")}


_bodies = queue.Queue()


def serve():
    """A Java thread's part in the plan: it takes the concurrent steps' bodies, one copy at a time, until stopped."""
    while True:
        slot = _bodies.get()
        if slot is None:
            return "ok"
        slot.published.wait()
        if slot.body is None:   # setup failed or skipped: no body to run
            slot.done.release()
        else:
            slot.run_body()


def stop_serving(n):
    for _ in range(int(n)):
        _bodies.put(None)
    return "ok"


def run_plan(steps_json, opts_json):
    plan = _PlanRun(json.loads(steps_json), json.loads(opts_json))
    plan.reply = reply = queue.Queue()
    with _plan_lock:
        if _state.get("ended"):
            reply.put(_ended_reply())
        else:
            _state["pending"] = plan
            _requests.put(plan)
    result = reply.get()
    if "failure" in result:
        raise RuntimeError(result["failure"])   # ftm's own: the child reports it as the harness's failure
    if result.get("outcome") == "error":
        plan.finish_unrun(result["message"])   # the session ended under the plan: each step left says so
    return "ok"


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
