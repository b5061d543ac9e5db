"""How ftmatrix runs a project's own pytest configuration where some plugins are turned off: shared by the harness
driver and the pytest-run-parallel reference run of `ftm bench --against`, so that both run the same tests the same
way."""
import os

# the ini keys of the plugins turned off (faulthandler, pytest-timeout, pytest-xdist): without them a project's
# `filterwarnings = error` turns "Unknown config option" into an internal error (propcache)
OFF_PLUGIN_INI = ("faulthandler_timeout", "faulthandler_exit_on_timeout", "timeout", "timeout_method",
                  "timeout_func_only", "timeout_disable_debugger_detection", "looponfailroots", "rsyncdirs",
                  "rsyncignore")

# pytest-xdist would send the tests to worker processes, out of the harness's reach
DROPPED_WITH_VALUE = {"-n", "--numprocesses", "--dist", "--maxprocesses", "--max-worker-restart", "--tx"}

# the plugins turned off, and what keeps a failure or a collection error from ending the session
PLUGINS_OFF = ["-p", "no:cacheprovider", "-p", "no:faulthandler", "-p", "no:xdist", "-p", "no:timeout", "-p", "no:cov",
               "--maxfail=0", "--continue-on-collection-errors"]


def add_off_plugin_ini(parser):
    known = getattr(parser, "_inidict", {})
    for name in OFF_PLUGIN_INI:
        if name not in known:
            parser.addini(name, "(turned off under ftm)")


def drop_addopts(early_config, parser, args):
    """Drops from the project's addopts (at the head of args) what this environment cannot honour: options of
    plugins that are not installed, and pytest-xdist's. Returns what was dropped. Call after the initial conftest
    files are loaded, so that the options they add count as known."""
    addopts = list(early_config.getini("addopts"))
    if not addopts or args[:len(addopts)] != addopts:
        return []
    _, unknown = parser.parse_known_and_unknown_args(list(addopts))
    unknown = set(unknown)
    kept, dropped, i = [], [], 0
    while i < len(addopts):
        a = addopts[i]
        name = a.split("=", 1)[0]
        if a in unknown or name in DROPPED_WITH_VALUE or (a.startswith("-n") and a[2:].isdigit()):
            dropped.append(a)
            takes_value = "=" not in a and (name in DROPPED_WITH_VALUE or a in unknown)
            if takes_value and i + 1 < len(addopts) and not addopts[i + 1].startswith("-") \
                    and not os.path.exists(addopts[i + 1]):
                dropped.append(addopts[i + 1])
                i += 1
        else:
            kept.append(a)
        i += 1
    if dropped:
        args[:len(addopts)] = kept
    return dropped
