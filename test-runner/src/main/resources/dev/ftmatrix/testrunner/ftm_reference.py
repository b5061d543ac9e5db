"""pytest plugin for the reference run of `ftm bench --against pytest-run-parallel`: the project's configuration as the
harness runs it (ftm_pytest_config), and where the time went, written as JSON to $FTM_REFERENCE_OUT at the end:
{"collectMillis", "testsMillis", "outcomes": {nodeid: outcome}}."""
import importlib
import json
import os
import time

import pytest

import ftm_pytest_config
import ftm_pytest_plugin

_t = {"start": time.perf_counter()}
_worst = {}

# the project's extension modules imported first, from the installed wheel, as the harness's import probe does before
# it collects: a test tree whose root holds the package's sources (xxhash's sdist) must not shadow what was built
for _name in filter(None, os.environ.get("FTM_MODULES", "").split(",")):
    try:
        importlib.import_module(_name)
    except Exception:  # noqa: B902 - the suite reports it as the harness's would
        pass


def pytest_addoption(parser):
    ftm_pytest_config.add_off_plugin_ini(parser)


@pytest.hookimpl(hookwrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    yield
    ftm_pytest_config.drop_addopts(early_config, parser, args)


def pytest_collection(session):
    _t["collect"] = time.perf_counter()


def pytest_collection_finish(session):
    _t["collected"] = time.perf_counter()


def pytest_runtest_logreport(report):
    _worst[report.nodeid] = ftm_pytest_plugin.worst(_worst.get(report.nodeid), report)


def pytest_collectreport(report):
    if report.failed:
        _worst[report.nodeid or "<collection>"] = ("error", str(report.longreprtext)[-4000:])


def main(args):
    """`python -m ftm_reference ARGS`: pytest as the harness configures it, with this plugin."""
    return pytest.main(ftm_pytest_config.PLUGINS_OFF + ["-p", "ftm_reference", "-q"] + args)


def pytest_sessionfinish(session, exitstatus):
    end = time.perf_counter()
    collect = _t.get("collect", end)
    collected = _t.get("collected", end)
    out = {"startMillis": int((collect - _t["start"]) * 1000), "collectMillis": int((collected - collect) * 1000),
           "testsMillis": int((end - collected) * 1000), "exit": int(exitstatus),
           "outcomes": {k: v[0] for k, v in _worst.items()}}
    with open(os.environ["FTM_REFERENCE_OUT"], "w", encoding="utf-8") as f:
        json.dump(out, f)


if __name__ == "__main__":
    import sys
    sys.exit(main(sys.argv[1:]))
