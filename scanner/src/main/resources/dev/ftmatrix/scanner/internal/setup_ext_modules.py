"""Reads the extension modules a setup.py defines for Linux and CPython without running it.

The file is parsed with ``ast`` and its module-level code is evaluated abstractly: assignments, ``if`` branches
(``sys.platform``, ``os.name``, ``platform.system()``, ``platform.python_implementation()`` and friends answer as on
Linux CPython), ``for`` loops, comprehensions, string and list operations, and functions defined in the same file.
Nothing is imported and no code of the project runs; a value the reading cannot know is UNKNOWN, and a branch
whose condition is unknown is followed.

Usage: python3 ftm_setup_ext_modules.py SETUP_PY ROOT  (ROOT: the project directory, for globs)
Prints JSON: {"modules": [{"name", "sources", "line", "role", "why"}], "error": null | "..."}
where role is "shipped" for the modules Linux CPython builds and "other-platform", "other-interpreter" or
"optional" for Extension(...) calls the evaluation did not reach, with the line of the condition that skipped them.
"""
import ast
import glob as _glob
import json
import os
import sys
import warnings


class Unknown:
    def __repr__(self):
        return "UNKNOWN"

    def __bool__(self):
        raise TypeError("unknown truth")


UNKNOWN = Unknown()
MAX_STEPS = 200000


class Ext:
    def __init__(self, name, sources, line, flags=None, path=None):
        self.name = name
        self.sources = sources
        self.line = line
        self.flags = flags or []
        self.path = path


class Func:
    def __init__(self, node, closure, path):
        self.node = node
        self.closure = closure
        self.path = path


class Raised(Exception):
    """An exception the evaluated code itself raises on known values (list.remove of a missing item)."""


class Return(Exception):
    def __init__(self, value):
        self.value = value


class Namespace:
    """A module of the project that setup.py imports, evaluated the same way."""

    def __init__(self, name, env):
        self.name = name
        self.env = env


class FFI:
    """A cffi.FFI() builder: set_source names the module that distutils_extension() builds."""

    def __init__(self):
        self.name = None
        self.line = 0


class Obj:
    """A module or object whose attributes are looked up by dotted name."""

    def __init__(self, name):
        self.name = name


PLATFORM_ATTRS = {
    "sys.platform": "linux",
    "os.name": "posix",
    "os.sep": "/",
    "sys.byteorder": "little",
    "sys.argv": ["setup.py"],
    "sys.builtin_module_names": ("_abc", "_codecs", "_collections", "_functools", "_imp", "_io", "_signal", "_sre",
                                 "_thread", "_warnings", "_weakref", "builtins", "errno", "gc", "itertools",
                                 "marshal", "posix", "pwd", "sys", "time"),
    "sys.implementation.name": "cpython",
    "sys.maxsize": 2**63 - 1,
    "sys.version_info": (3, 13, 0, "final", 0),
    "sys.version_info.major": 3,
    "sys.version_info.minor": 13,
    "sys.pypy_version_info": UNKNOWN,
}
PLATFORM_CALLS = {
    "platform.system": "Linux",
    "platform.python_implementation": "CPython",
    "platform.machine": "x86_64",
    "platform.architecture": ("64bit", "ELF"),
}


class Evaluator:
    def __init__(self, path, root, depth=0):
        self.depth = depth
        self.path = path
        self.root = root
        self.base = os.path.dirname(path)
        self.reached = {}  # line -> Ext
        self.skipped = {}  # line of an Extension call -> (role, line of the condition)
        self.setup_ext = None
        self.ext_package = ""
        self.cffi_modules = []
        self.steps = 0
        self.unknown_branch = False

    # ---- names and attributes
    def dotted(self, node):
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Attribute):
            d = self.dotted(node.value)
            return d + "." + node.attr if d else None
        return None

    def lookup(self, env, name):
        for scope in env:
            if name in scope:
                return scope[name]
        return Obj(name)

    # ---- expressions
    def ev(self, node, env):
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise RuntimeError("setup.py evaluation took too many steps")
        m = getattr(self, "ev_" + type(node).__name__, None)
        if m is None:
            return UNKNOWN
        try:
            return m(node, env)
        except (Return, Raised, RuntimeError):
            raise
        except Exception:
            return UNKNOWN

    def ev_Constant(self, node, env):
        return node.value

    def ev_JoinedStr(self, node, env):
        out = ""
        for v in node.values:
            x = self.ev(v.value, env) if isinstance(v, ast.FormattedValue) else v.value
            if isinstance(x, Unknown):
                return UNKNOWN
            out += str(x)
        return out

    def ev_Name(self, node, env):
        v = self.lookup(env, node.id)
        if node.id in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[node.id]
        if isinstance(v, Obj):
            return platform_flag(node.id, v)
        return v

    def ev_Attribute(self, node, env):
        d = self.dotted(node)
        if d:
            # a platform fact by its module path, also when the module was imported under an alias
            for k, v in PLATFORM_ATTRS.items():
                if d == k:
                    return v
        base = self.ev(node.value, env)
        if isinstance(base, Namespace):
            v = base.env.get(node.attr, UNKNOWN)
            return platform_flag(node.attr, Obj(node.attr)) if isinstance(v, Unknown) else v
        if isinstance(base, Obj):
            full = base.name + "." + node.attr
            if full in PLATFORM_ATTRS:
                return PLATFORM_ATTRS[full]
            return Obj(full)
        if isinstance(base, Ext):
            return {"name": base.name, "sources": base.sources}.get(node.attr, UNKNOWN)
        if isinstance(base, Unknown):
            return UNKNOWN
        if isinstance(base, tuple) and node.attr in ("major", "minor") and len(base) >= 2:
            return base[0] if node.attr == "major" else base[1]
        return getattr(base, node.attr)

    def ev_List(self, node, env):
        out = []
        for e in node.elts:
            if isinstance(e, ast.Starred):
                v = self.ev(e.value, env)
                if isinstance(v, Unknown):
                    return UNKNOWN
                out.extend(v)
            else:
                out.append(self.ev(e, env))
        return out

    def ev_Tuple(self, node, env):
        v = self.ev_List(node, env)
        return tuple(v) if isinstance(v, list) else v

    def ev_Set(self, node, env):
        return self.ev_List(node, env)

    def ev_Dict(self, node, env):
        out = {}
        for k, v in zip(node.keys, node.values):
            if k is None:
                d = self.ev(v, env)
                if isinstance(d, dict):
                    out.update(d)
                continue
            kk = self.ev(k, env)
            if isinstance(kk, Unknown):
                continue
            out[kk] = self.ev(v, env)
        return out

    def ev_BinOp(self, node, env):
        a, b = self.ev(node.left, env), self.ev(node.right, env)
        if isinstance(a, Unknown) or isinstance(b, Unknown):
            if isinstance(node.op, ast.Add) and isinstance(a, list):
                return a  # list + unknown: keep what is known
            if isinstance(node.op, ast.Add) and isinstance(b, list):
                return b
            return UNKNOWN
        ops = {ast.Add: lambda: a + b, ast.Sub: lambda: a - b, ast.Mult: lambda: a * b, ast.Mod: lambda: a % b,
               ast.Div: lambda: a / b, ast.FloorDiv: lambda: a // b, ast.BitOr: lambda: a | b}
        f = ops.get(type(node.op))
        return f() if f else UNKNOWN

    def ev_UnaryOp(self, node, env):
        v = self.ev(node.operand, env)
        if isinstance(v, Unknown):
            return UNKNOWN
        if isinstance(node.op, ast.Not):
            return not v
        if isinstance(node.op, ast.USub):
            return -v
        return UNKNOWN

    def ev_BoolOp(self, node, env):
        is_and = isinstance(node.op, ast.And)
        result = None
        unknown = False
        for e in node.values:
            v = self.ev(e, env)
            if isinstance(v, Unknown) or isinstance(v, Obj):
                unknown = True
                continue
            if is_and and not v:
                return v
            if not is_and and v:
                return v
            result = v
        return UNKNOWN if unknown else result

    def ev_Compare(self, node, env):
        left = self.ev(node.left, env)
        for op, right_node in zip(node.ops, node.comparators):
            right = self.ev(right_node, env)
            if isinstance(left, (Unknown, Obj)) or isinstance(right, (Unknown, Obj)):
                return UNKNOWN
            ok = {ast.Eq: lambda: left == right, ast.NotEq: lambda: left != right, ast.Lt: lambda: left < right,
                  ast.LtE: lambda: left <= right, ast.Gt: lambda: left > right, ast.GtE: lambda: left >= right,
                  ast.In: lambda: left in right, ast.NotIn: lambda: left not in right,
                  ast.Is: lambda: left is right, ast.IsNot: lambda: left is not right}[type(op)]()
            if not ok:
                return False
            left = right
        return True

    def ev_IfExp(self, node, env):
        c = self.truth(node.test, env)
        if c is None:
            # either may be taken: lists are joined (``[Extension(...)] if cpython else []``)
            a, b = self.ev(node.body, env), self.ev(node.orelse, env)
            if isinstance(a, list) and isinstance(b, list):
                return a + [x for x in b if x not in a]
            return a
        return self.ev(node.body if c else node.orelse, env)

    def ev_Subscript(self, node, env):
        v = self.ev(node.value, env)
        s = node.slice
        if isinstance(s, ast.Slice):
            lo = self.ev(s.lower, env) if s.lower else None
            hi = self.ev(s.upper, env) if s.upper else None
            return v[lo:hi]
        return v[self.ev(s, env)]

    def comp(self, node, env, make):
        out = []

        def rec(i, scope):
            if i == len(node.generators):
                out.append(make(scope))
                return
            g = node.generators[i]
            it = self.ev(g.iter, [scope] + env)
            if isinstance(it, (Unknown, Obj)):
                raise ValueError("unknown iterable")
            for x in list(it):
                s = dict(scope)
                self.assign(g.target, x, [s])
                if all(self.truth(c, [s] + env) is not False for c in g.ifs):
                    rec(i + 1, s)

        rec(0, {})
        return out

    def ev_ListComp(self, node, env):
        return self.comp(node, env, lambda s: self.ev(node.elt, [s] + env))

    ev_GeneratorExp = ev_ListComp
    ev_SetComp = ev_ListComp

    def ev_DictComp(self, node, env):
        pairs = self.comp(node, env, lambda s: (self.ev(node.key, [s] + env), self.ev(node.value, [s] + env)))
        return dict(pairs)

    def ev_Call(self, node, env):
        fname = self.dotted(node.func) or ""
        last = fname.rsplit(".", 1)[-1]
        args = []
        for a in node.args:
            if isinstance(a, ast.Starred):
                v = self.ev(a.value, env)
                if isinstance(v, (list, tuple)):
                    args.extend(v)
                else:
                    args.append(UNKNOWN)
            else:
                args.append(self.ev(a, env))
        kwargs = {}
        for k in node.keywords:
            if k.arg is None:
                d = self.ev(k.value, env)
                if isinstance(d, dict):
                    kwargs.update(d)
            else:
                kwargs[k.arg] = self.ev(k.value, env)
        target = self.ev(node.func, env) if not isinstance(node.func, ast.Attribute) else (
            self.ev(node.func, env) if isinstance(self.ev(node.func.value, env), Namespace) else None)
        if isinstance(target, Func):
            return self.call(target, args, kwargs)
        if last.endswith("Extension") or last in ("Pybind11Extension", "RustExtension", "CUDAExtension",
                                                  "CppExtension"):
            return self.extension(node, args, kwargs)
        if last in ("setup",):
            if "ext_modules" in kwargs:
                self.setup_ext = kwargs["ext_modules"]
            if isinstance(kwargs.get("ext_package"), str):
                self.ext_package = kwargs["ext_package"]
            cffi = kwargs.get("cffi_modules")
            if isinstance(cffi, (list, tuple)):
                self.cffi_modules += [c for c in cffi if isinstance(c, str)]
            return None
        if fname.endswith("FFI") and last == "FFI":
            return FFI()
        if last == "defaultdict":
            import collections
            return collections.defaultdict(list)
        if last == "get_extensions" and not isinstance(target, Func):
            return self.extension_helpers()
        if last == "cythonize":
            return self.cythonize(args[0] if args else kwargs.get("module_list", UNKNOWN),
                                  kwargs.get("compiler_directives"))
        if isinstance(node.func, ast.Attribute):
            return self.method(node, fname, args, kwargs, env)
        builtin = {"len": len, "str": str, "list": list, "tuple": tuple, "sorted": sorted, "dict": dict,
                   "set": lambda *a: list(set(*a)), "bool": bool, "int": int, "any": any, "all": all,
                   "zip": lambda *a: list(zip(*a)), "enumerate": lambda *a: list(enumerate(*a)),
                   "range": lambda *a: list(range(*a)), "reversed": lambda a: list(reversed(a)),
                   "isinstance": lambda *a: UNKNOWN, "filter": lambda f, a: [x for x in a if x] if f is None else UNKNOWN}
        if fname in builtin:
            if any(isinstance(a, (Unknown, Obj, Func)) for a in args):
                return UNKNOWN
            return builtin[fname](*args, **kwargs)
        if fname in ("glob", "glob.glob", "iglob", "glob.iglob"):
            return self.glob(args[0] if args else kwargs.get("pathname"), kwargs.get("recursive", False))
        return UNKNOWN

    def method(self, node, fname, args, kwargs, env):
        if ".".join(fname.split(".")[-2:]) in PLATFORM_CALLS:
            return PLATFORM_CALLS[".".join(fname.split(".")[-2:])]
        if fname in ("os.path.join", "path.join", "join", "pjoin", "opj"):
            if any(not isinstance(a, str) for a in args):
                return UNKNOWN
            return os.path.join(*args)
        if fname in ("os.path.dirname", "path.dirname"):
            return os.path.dirname(args[0]) if isinstance(args[0], str) else UNKNOWN
        if fname in ("os.path.basename", "path.basename"):
            return os.path.basename(args[0]) if isinstance(args[0], str) else UNKNOWN
        if fname in ("os.path.splitext", "path.splitext"):
            return os.path.splitext(args[0]) if isinstance(args[0], str) else UNKNOWN
        if fname in ("os.path.exists", "os.path.isfile", "os.path.isdir", "path.exists", "path.isfile"):
            if not isinstance(args[0], str):
                return UNKNOWN
            p = os.path.join(self.base, args[0])
            return os.path.exists(p) if fname.endswith("exists") else (
                os.path.isfile(p) if fname.endswith("isfile") else os.path.isdir(p))
        if fname in ("os.listdir",):
            if not isinstance(args[0], str):
                return UNKNOWN
            p = os.path.join(self.base, args[0])
            return sorted(os.listdir(p)) if os.path.isdir(p) else UNKNOWN
        if fname in ("os.environ.get", "os.getenv"):
            return args[1] if len(args) > 1 else kwargs.get("default", None)
        if fname in ("os.path.abspath", "os.path.normpath", "os.path.realpath"):
            return args[0] if isinstance(args[0], str) else UNKNOWN
        if fname.endswith(".glob") and "." in fname and fname.split(".")[-2] == "glob":
            return self.glob(args[0] if args else None, kwargs.get("recursive", False))
        recv_node = node.func.value
        recv = self.ev(recv_node, env)
        meth = node.func.attr
        if isinstance(recv, FFI):
            if meth == "set_source" and args and isinstance(args[0], str):
                recv.name, recv.line, recv.path = args[0], node.lineno, self.path
            elif meth == "distutils_extension" and recv.name:
                e = Ext(recv.name, [], recv.line or node.lineno, None, getattr(recv, "path", self.path))
                self.reached.setdefault((self.path, node.lineno), e)
                return e
            return None
        if isinstance(recv, Obj) or isinstance(recv, Unknown):
            return UNKNOWN
        if isinstance(recv, list) and meth in ("append", "extend", "insert"):
            if meth == "append":
                recv.append(args[0])
            elif meth == "extend":
                if isinstance(args[0], (list, tuple)):
                    recv.extend(args[0])
            elif meth == "insert":
                recv.insert(args[0], args[1])
            return None
        if isinstance(recv, dict) and meth in ("update",):
            if args and isinstance(args[0], dict):
                recv.update(args[0])
            recv.update(kwargs)
            return None
        if any(isinstance(a, (Unknown, Obj, Func, Ext)) for a in args):
            return UNKNOWN
        if isinstance(recv, (str, list, tuple, dict)) and not meth.startswith("_"):
            try:
                return getattr(recv, meth)(*args, **kwargs)
            except (ValueError, KeyError, IndexError) as e:
                raise Raised(e)
        return UNKNOWN

    def glob(self, pattern, recursive):
        if not isinstance(pattern, str):
            return UNKNOWN
        full = os.path.join(self.base, pattern)
        out = sorted(_glob.glob(full, recursive=bool(recursive)))
        return [os.path.relpath(p, self.base) for p in out]

    def cythonize(self, mods, directives=None):
        flags = ["-X%s=%s" % (k, v) for k, v in directives.items() if isinstance(k, str)] \
            if isinstance(directives, dict) else []
        out = self.cythonize_modules(mods)
        if isinstance(out, list):
            for e in out:
                e.flags = e.flags + flags
        return out

    def cythonize_modules(self, mods):
        if isinstance(mods, Ext):
            mods = [mods]
        if isinstance(mods, str):
            mods = [mods]
        if not isinstance(mods, (list, tuple)):
            return UNKNOWN
        out = []
        for m in mods:
            if isinstance(m, Ext):
                out.append(m)
            elif isinstance(m, str):
                for p in self.glob(m, True) if any(c in m for c in "*?[") else [m]:
                    name = os.path.splitext(p)[0].replace("/", ".")
                    out.append(Ext(name, [p], 0))
        return out

    def extension(self, node, args, kwargs):
        name = args[0] if args else kwargs.get("name", UNKNOWN)
        sources = args[1] if len(args) > 1 else kwargs.get("sources", [])
        if not isinstance(sources, (list, tuple)) or any(not isinstance(s, str) for s in sources):
            sources = [s for s in sources if isinstance(s, str)] if isinstance(sources, (list, tuple)) else []
        flags = []
        for key in ("extra_compile_args", "cython_directives"):
            v = kwargs.get(key)
            if isinstance(v, (list, tuple)):
                flags += [x for x in v if isinstance(x, str)]
            elif isinstance(v, dict):
                flags += ["-X%s=%s" % (k, x) for k, x in v.items() if isinstance(k, str)]
        macros = kwargs.get("define_macros")
        if isinstance(macros, (list, tuple)):
            for m in macros:
                if isinstance(m, (list, tuple)) and m and isinstance(m[0], str):
                    flags.append("-D%s%s" % (m[0], "" if len(m) < 2 or m[1] is None else "=%s" % (m[1],)))
        e = Ext(name if isinstance(name, str) else None, list(sources), node.lineno, flags, self.path)
        if e.name is not None:
            self.reached.setdefault((self.path, node.lineno), e)
        return e

    def call(self, f, args, kwargs):
        n = f.node
        scope = {}
        params = n.args.posonlyargs + n.args.args
        defaults = n.args.defaults
        for i, p in enumerate(params):
            d = len(params) - len(defaults)
            if i < len(args):
                scope[p.arg] = args[i]
            elif p.arg in kwargs:
                scope[p.arg] = kwargs[p.arg]
            elif i >= d:
                scope[p.arg] = self.ev(defaults[i - d], f.closure)
            else:
                scope[p.arg] = UNKNOWN
        for p, dflt in zip(n.args.kwonlyargs, n.args.kw_defaults):
            scope[p.arg] = kwargs.get(p.arg, self.ev(dflt, f.closure) if dflt is not None else UNKNOWN)
        if n.args.vararg:
            scope[n.args.vararg.arg] = list(args[len(params):])
        if n.args.kwarg:
            scope[n.args.kwarg.arg] = {k: v for k, v in kwargs.items() if k not in scope}
        if len(self.stack) > 20:
            return UNKNOWN
        self.stack.append(n.name)
        saved_path, self.path = self.path, f.path
        try:
            self.block(n.body, [scope] + f.closure)
        except Return as r:
            return r.value
        finally:
            self.stack.pop()
            self.path = saved_path
        return None

    # ---- statements
    def truth(self, test, env):
        v = self.ev(test, env)
        if isinstance(v, (Unknown, Obj, Func)):
            return None
        try:
            return bool(v)
        except Exception:
            return None

    def assign(self, target, value, env):
        if isinstance(target, ast.Name):
            env[0][target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            if isinstance(value, (list, tuple)) and len(value) == len(target.elts):
                for t, v in zip(target.elts, value):
                    self.assign(t, v, env)
            else:
                for t in target.elts:
                    self.assign(t, UNKNOWN, env)
        elif isinstance(target, ast.Subscript):
            obj = self.ev(target.value, env)
            key = self.ev(target.slice, env)
            if isinstance(obj, (dict, list)) and not isinstance(key, Unknown):
                try:
                    obj[key] = value
                except Exception:
                    pass

    def block(self, body, env):
        for st in body:
            self.stmt(st, env)

    def top(self, body, env):
        """Module level: a statement that raises (a missing optional dependency's check) is passed over."""
        for st in body:
            try:
                self.stmt(st, env)
            except (Raised, Return):
                if os.environ.get("FTM_SETUP_DEBUG"):
                    print("passed over %s:%d" % (self.path, st.lineno), file=sys.stderr)

    def skip(self, body, test):
        """Marks the Extension calls of a branch not taken with the role its condition tells."""
        src = ast.unparse(test).lower() if test is not None else ""
        role = "other-interpreter" if "pypy" in src or "implementation" in src or "graalpy" in src else (
            "other-platform" if any(w in src for w in ("platform", "win", "darwin", "os.name", "nt", "mac",
                                                        "bsd", "aix", "sunos", "linux", "system"))
            else "optional")
        for st in body:
            for n in ast.walk(st):
                if isinstance(n, ast.Call) and last_name(n).endswith("Extension"):
                    self.skipped.setdefault((self.path, n.lineno), (role, test.lineno if test is not None else n.lineno, n))

    def stmt(self, st, env):
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise RuntimeError("setup.py evaluation took too many steps")
        t = type(st).__name__
        if t == "Assign":
            v = self.ev(st.value, env)
            for tg in st.targets:
                self.assign(tg, v, env)
        elif t == "AnnAssign" and st.value is not None:
            self.assign(st.target, self.ev(st.value, env), env)
        elif t == "AugAssign":
            cur = self.ev(st.target, env)
            v = self.ev(st.value, env)
            if isinstance(cur, list) and isinstance(st.op, ast.Add):
                if isinstance(v, (list, tuple)):
                    cur.extend(v)  # in place, as += on a list does
            elif not isinstance(cur, (Unknown, Obj)) and not isinstance(v, (Unknown, Obj)):
                try:
                    self.assign(st.target, {ast.Add: lambda: cur + v, ast.Sub: lambda: cur - v,
                                            ast.BitOr: lambda: cur | v}[type(st.op)](), env)
                except Exception:
                    self.assign(st.target, UNKNOWN, env)
            else:
                self.assign(st.target, UNKNOWN, env)
        elif t == "Expr":
            self.ev(st.value, env)
        elif t == "If":
            c = self.truth(st.test, env)
            if c is True:
                self.block(st.body, env)
                self.skip(st.orelse, st.test)
            elif c is False:
                self.skip(st.body, st.test)
                self.block(st.orelse, env)
            else:
                # either may run: each runs from the same state, a raise or return in one does not end the
                # other, and a name they set differently is unknown afterwards (lists: both lists' items)
                before = dict(env[0])
                after = []
                for branch in (st.body, st.orelse):
                    env[0].clear()
                    env[0].update(before)
                    try:
                        self.block(branch, env)
                    except (Raised, Return):
                        pass
                    after.append(dict(env[0]))
                env[0].clear()
                for k in set(after[0]) | set(after[1]):
                    a, b = after[0].get(k, before.get(k, UNKNOWN)), after[1].get(k, before.get(k, UNKNOWN))
                    if a is b:
                        env[0][k] = a
                    elif isinstance(a, list) and isinstance(b, list):
                        env[0][k] = a + [x for x in b if x not in a]
                    else:
                        env[0][k] = UNKNOWN
        elif t == "For":
            it = self.ev(st.iter, env)
            if isinstance(it, (list, tuple, dict, str)):
                for x in list(it):
                    self.assign(st.target, x, env)
                    self.block(st.body, env)
            self.block(st.orelse, env)
        elif t in ("FunctionDef",):
            env[0][st.name] = Func(st, env, self.path)
        elif t == "Return":
            raise Return(self.ev(st.value, env) if st.value is not None else None)
        elif t in ("Try",):
            try:
                self.block(st.body, env)
                self.block(st.orelse, env)
            except Raised:
                if st.handlers:
                    self.block(st.handlers[0].body, env)
            finally:
                self.block(st.finalbody, env)
        # a raise statement is passed over: it guards against a build environment (a missing library, an old
        # compiler) that the reading only approximates
        elif t == "With":
            self.block(st.body, env)
        elif t == "Import":
            for a in st.names:
                mod_env = self.project_module(a.name, 0) if "." not in a.name else None
                if mod_env is not None:
                    env[0][a.asname or a.name] = Namespace(a.name, mod_env)
                else:
                    env[0][a.asname or a.name.split(".")[0]] = Obj(a.name if a.asname else a.name.split(".")[0])
        elif t == "ImportFrom":
            mod_env = self.project_module(st.module or "", st.level)
            for a in st.names:
                v = mod_env.get(a.name, UNKNOWN) if mod_env is not None else UNKNOWN
                env[0][a.asname or a.name] = v if not isinstance(v, Unknown) else Obj((st.module or "") + "." + a.name)
        elif t == "ClassDef":
            env[0][st.name] = Obj(st.name)
        # while, raise, global, ...: nothing a module list depends on

    def extension_helpers(self):
        """extension_helpers.get_extensions(): every setup_package.py's get_extensions(), and a module per .pyx
        file no extension compiles."""
        out = []
        covered = set()
        for dirpath, dirnames, filenames in sorted(os.walk(self.base)):
            dirnames[:] = sorted(d for d in dirnames if d not in (".git", "build", "docs", "cextern", ".tox"))
            rel = os.path.relpath(dirpath, self.base)
            if "setup_package.py" in filenames:
                path = os.path.join(dirpath, "setup_package.py")
                mod_env = self.project_module(os.path.join(rel, "setup_package").replace(os.sep, "."), 0, path)
                f = mod_env.get("get_extensions") if mod_env else None
                if isinstance(f, Func):
                    try:
                        exts = self.call(f, [], {})
                    except (Raised, Return):
                        exts = None
                    if isinstance(exts, (list, tuple)):
                        for e in exts:
                            if isinstance(e, Ext) and e.name:
                                out.append(e)
                                covered.update(os.path.normpath(x) for x in e.sources if isinstance(x, str))
        for top in sorted(os.listdir(self.base)):
            # extension_helpers compiles a package's generated _compiler.c as PACKAGE.compiler_version
            if os.path.isfile(os.path.join(self.base, top, "_compiler.c")):
                out.append(Ext(top + ".compiler_version", [os.path.join(top, "_compiler.c")], 0, None, self.path))
        for dirpath, dirnames, filenames in sorted(os.walk(self.base)):
            dirnames[:] = sorted(d for d in dirnames if d not in (".git", "build", "docs", "cextern", ".tox"))
            for fn in sorted(filenames):
                if fn.endswith(".pyx"):
                    rel = os.path.normpath(os.path.relpath(os.path.join(dirpath, fn), self.base))
                    if rel not in covered and os.path.exists(os.path.join(dirpath, "__init__.py")):
                        out.append(Ext(rel[:-4].replace(os.sep, "."), [rel], 0, None, self.path))
        return out

    def project_module(self, module, level, path=None):
        """The module-level names of a project's own module that setup.py imports (psutil's _common), evaluated
        the same way; None for modules the project does not have."""
        if self.depth >= 2 or not module:
            return None
        rel = module.replace(".", "/")
        found = path
        for cand in () if path else (os.path.join(self.base, rel + ".py"), os.path.join(self.base, rel, "__init__.py")):
            if os.path.isfile(cand):
                found = cand
                break
        if found is None and path is None:
            best = None
            for dirpath, dirnames, filenames in os.walk(self.base):
                dirnames[:] = [d for d in dirnames if d not in (".git", "build", "tests", "test", "docs", "node_modules")]
                if os.path.basename(rel) + ".py" in filenames:
                    c = os.path.join(dirpath, os.path.basename(rel) + ".py")
                    if c.endswith("/" + rel + ".py") and (best is None or c.count("/") < best.count("/")):
                        best = c
            found = best
        if found is None or os.path.abspath(found) == os.path.abspath(self.path):
            return None
        sub = Evaluator(found, self.root, self.depth + 1)
        sub.steps = self.steps
        sub.stack = []
        env = [{"__file__": found, "__name__": module}]
        try:
            with open(found, encoding="utf-8", errors="replace") as fh:
                tree = ast.parse(fh.read(), found)
            sub.top(tree.body, env)
        except (SyntaxError, RuntimeError, RecursionError):
            return None
        finally:
            self.steps = sub.steps
        return env[0]

    def run(self):
        with open(self.path, encoding="utf-8", errors="replace") as fh:
            tree = ast.parse(fh.read(), self.path)
        self.stack = []
        env = [{"__file__": self.path, "__name__": "__main__"}]
        os.chdir(self.base or ".")
        self.top(tree.body, env)
        if self.setup_ext is None:
            # setup() unseen (called in a function or under __main__): every Extension reached counts
            shipped = list(self.reached.values())
        elif isinstance(self.setup_ext, (list, tuple)):
            shipped = [e for e in self.setup_ext if isinstance(e, Ext) and e.name]
        else:
            shipped = list(self.reached.values())
        out = []
        names = set()
        for e in shipped:
            if e.name in names:
                continue
            names.add(e.name)
            out.append({"name": e.name, "sources": e.sources, "line": e.line, "role": "shipped", "why": None,
                        "file": os.path.relpath(e.path or self.path, self.base),
                        "flags": [f for f in e.flags if isinstance(f, str)]})
        for (path, line), (role, why, node) in sorted(self.skipped.items()):
            name = None
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                name = node.args[0].value
            for k in node.keywords:
                if k.arg == "name" and isinstance(k.value, ast.Constant):
                    name = k.value.value
            if name and name not in names and (path, line) not in self.reached:
                names.add(name)
                out.append({"name": name, "sources": [], "line": line, "role": role, "why": why,
                            "file": os.path.relpath(path, self.base)})
        return out


PLATFORM_WORDS_TRUE = ("LINUX", "POSIX", "CPYTHON", "UNIX")
PLATFORM_WORDS_FALSE = ("WINDOWS", "WIN32", "WIN", "MSWINDOWS", "MACOS", "OSX", "DARWIN", "APPLE", "BSD", "FREEBSD",
                        "OPENBSD", "NETBSD", "SUNOS", "SOLARIS", "AIX", "CYGWIN", "MINGW", "PYPY", "MSVC",
                        "GRAALPY", "JYTHON", "EMSCRIPTEN", "WASI")


def platform_flag(name, unknown):
    """A flag named after a platform (IS_WINDOWS, PYPY, LINUX) whose value setup.py got from elsewhere: as on
    Linux CPython."""
    word = name.upper()
    for prefix in ("IS_", "ON_", "_IS_", "_", "HAS_"):
        if word.startswith(prefix):
            word = word[len(prefix):]
    if word in PLATFORM_WORDS_TRUE:
        return True
    if word in PLATFORM_WORDS_FALSE:
        return False
    return unknown


def last_name(call):
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def main():
    path, root = sys.argv[1], sys.argv[2]
    sys.setrecursionlimit(10000)
    warnings.simplefilter("ignore")
    try:
        ev = Evaluator(os.path.abspath(path), root)
        mods = ev.run()
        complete = isinstance(ev.setup_ext, (list, tuple)) and all(isinstance(e, Ext) and e.name for e in ev.setup_ext)
        if ev.ext_package:
            # setup(ext_package="nacl") puts every extension, cffi's too, in that package
            for m in mods:
                m["name"] = ev.ext_package + "." + m["name"]
        print(json.dumps({"modules": mods, "complete": complete, "cffiModules": ev.cffi_modules,
                          "extPackage": ev.ext_package, "error": None}))
    except SyntaxError as e:
        print(json.dumps({"modules": [], "error": "setup.py does not parse: %s" % e}))
    except (RuntimeError, RecursionError) as e:
        print(json.dumps({"modules": [], "error": str(e)}))


if __name__ == "__main__":
    main()
