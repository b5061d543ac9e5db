package dev.ftmatrix.testrunner.harness;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * The embedded CPython interpreter, driven through {@code java.lang.foreign} downcalls only. This class owns the
 * {@link Linker}, the {@link SymbolLookup} of libpython and every {@link MethodHandle}, each named after its C
 * function. Any Java thread may call {@link #exec} and {@link #eval}: each call attaches with
 * {@code PyGILState_Ensure} and detaches with {@code PyGILState_Release}, so on a free-threaded build the calls of
 * many threads run at once.
 */
public final class Python implements AutoCloseable {
    private static final int PY_FILE_INPUT = 257;
    private static final int PY_EVAL_INPUT = 258;
    private static final int RTLD_NOW_GLOBAL = 0x2 | 0x100;
    /** Larger than {@code sizeof(PyConfig)} of every CPython 3.8-3.14 (about 400-600 bytes); zeroed. */
    private static final long PYCONFIG_BYTES = 8192;
    /** {@code PyStatus}: {@code int _type; const char *func; const char *err_msg; int exitcode;}. */
    private static final StructLayout PY_STATUS = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("_type"), MemoryLayout.paddingLayout(4),
            ValueLayout.ADDRESS.withName("func"), ValueLayout.ADDRESS.withName("err_msg"),
            ValueLayout.JAVA_INT.withName("exitcode"), MemoryLayout.paddingLayout(4));

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong SSIZE = ValueLayout.JAVA_LONG;
    private static final AddressLayout PTR = ValueLayout.ADDRESS;

    /** The interpreter's lifetime: the library stays mapped and its strings alive until {@link #close}. */
    private final Arena lifetime = Arena.ofShared();
    private final Path library;
    private final MethodHandle PyConfig_InitPythonConfig;
    private final MethodHandle PyConfig_SetBytesArgv;
    private final MethodHandle PyConfig_Clear;
    private final MethodHandle Py_InitializeFromConfig;
    private final MethodHandle Py_FinalizeEx;
    private final MethodHandle PyEval_SaveThread;
    private final MethodHandle PyEval_RestoreThread;
    private final MethodHandle PyGILState_Ensure;
    private final MethodHandle PyGILState_Release;
    private final MethodHandle PyImport_AddModule;
    private final MethodHandle PyModule_GetDict;
    private final MethodHandle PyDict_New;
    private final MethodHandle PyDict_SetItemString;
    private final MethodHandle PyUnicode_FromString;
    private final MethodHandle PyUnicode_AsUTF8AndSize;
    private final MethodHandle PyObject_Str;
    private final MethodHandle PyRun_String;
    private final MethodHandle Py_CompileString;
    private final MethodHandle PyEval_EvalCode;
    /** Compiled code per expression: the harness evaluates the same few expressions for every test. Never freed. */
    private final ConcurrentMap<String, MemorySegment> compiled =
            new ConcurrentHashMap<>();
    private final MethodHandle Py_DecRef;
    private final MethodHandle PyErr_Fetch;
    private final MethodHandle PyErr_NormalizeException;
    private final MethodHandle Py_GetVersion;
    private MemorySegment mainThreadState = MemorySegment.NULL;
    private boolean closed;

    private Python(Path library) {
        this.library = library;
        Linker linker = Linker.nativeLinker();
        // Extension modules are not linked to libpython: its symbols must be global before any of them loads,
        // which SymbolLookup.libraryLookup's RTLD_LOCAL does not give.
        MethodHandle dlopen = linker.downcallHandle(linker.defaultLookup().findOrThrow("dlopen"),
                FunctionDescriptor.of(PTR, PTR, INT));
        try (Arena call = Arena.ofConfined()) {
            MemorySegment h = (MemorySegment) dlopen.invokeExact(call.allocateFrom(library.toString()), RTLD_NOW_GLOBAL);
            if (h.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("dlopen(" + library + ", RTLD_GLOBAL) failed");
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
        SymbolLookup lib = SymbolLookup.libraryLookup(library, lifetime);
        Downcalls d = new Downcalls(linker, lib);
        PyConfig_InitPythonConfig = d.of("PyConfig_InitPythonConfig", FunctionDescriptor.ofVoid(PTR));
        PyConfig_SetBytesArgv = d.of("PyConfig_SetBytesArgv", FunctionDescriptor.of(PY_STATUS, PTR, SSIZE, PTR));
        PyConfig_Clear = d.of("PyConfig_Clear", FunctionDescriptor.ofVoid(PTR));
        Py_InitializeFromConfig = d.of("Py_InitializeFromConfig", FunctionDescriptor.of(PY_STATUS, PTR));
        Py_FinalizeEx = d.of("Py_FinalizeEx", FunctionDescriptor.of(INT));
        PyEval_SaveThread = d.of("PyEval_SaveThread", FunctionDescriptor.of(PTR));
        PyEval_RestoreThread = d.of("PyEval_RestoreThread", FunctionDescriptor.ofVoid(PTR));
        PyGILState_Ensure = d.of("PyGILState_Ensure", FunctionDescriptor.of(INT));
        PyGILState_Release = d.of("PyGILState_Release", FunctionDescriptor.ofVoid(INT));
        PyImport_AddModule = d.of("PyImport_AddModule", FunctionDescriptor.of(PTR, PTR));
        PyModule_GetDict = d.of("PyModule_GetDict", FunctionDescriptor.of(PTR, PTR));
        PyDict_New = d.of("PyDict_New", FunctionDescriptor.of(PTR));
        PyDict_SetItemString = d.of("PyDict_SetItemString", FunctionDescriptor.of(INT, PTR, PTR, PTR));
        PyUnicode_FromString = d.of("PyUnicode_FromString", FunctionDescriptor.of(PTR, PTR));
        PyUnicode_AsUTF8AndSize = d.of("PyUnicode_AsUTF8AndSize", FunctionDescriptor.of(PTR, PTR, PTR));
        PyObject_Str = d.of("PyObject_Str", FunctionDescriptor.of(PTR, PTR));
        PyRun_String = d.of("PyRun_String", FunctionDescriptor.of(PTR, PTR, INT, PTR, PTR));
        Py_CompileString = d.of("Py_CompileString", FunctionDescriptor.of(PTR, PTR, PTR, INT));
        PyEval_EvalCode = d.of("PyEval_EvalCode", FunctionDescriptor.of(PTR, PTR, PTR, PTR));
        Py_DecRef = d.of("Py_DecRef", FunctionDescriptor.ofVoid(PTR));
        PyErr_Fetch = d.of("PyErr_Fetch", FunctionDescriptor.ofVoid(PTR, PTR, PTR));
        PyErr_NormalizeException = d.of("PyErr_NormalizeException", FunctionDescriptor.ofVoid(PTR, PTR, PTR));
        Py_GetVersion = d.of("Py_GetVersion", FunctionDescriptor.of(PTR));
    }

    /** Resolves the downcall handles of one library. */
    private record Downcalls(Linker linker, SymbolLookup lib) {
        MethodHandle of(String name, FunctionDescriptor fd) {
            return linker.downcallHandle(lib.findOrThrow(name), fd);
        }
    }

    /**
     * Loads {@code libpython} and initialises the interpreter as if {@code program} had started: given a venv's
     * {@code bin/python}, CPython finds {@code pyvenv.cfg} beside it and puts the venv's site-packages on
     * {@code sys.path}. The process environment ({@code PYTHON_GIL}, {@code PYTHONPATH}, ...) is read as the
     * {@code python} command reads it. The calling thread then detaches, so that any thread may attach.
     */
    public static Python start(Path libpython, Path program) {
        if (!Files.isRegularFile(libpython)) {
            throw new IllegalArgumentException("no libpython at " + libpython);
        }
        Python py = new Python(libpython);
        py.initialize(program);
        return py;
    }

    private void initialize(Path program) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment config = call.allocate(PYCONFIG_BYTES, 16);
            PyConfig_InitPythonConfig.invokeExact(config);
            MemorySegment argv = call.allocate(PTR, 2);
            argv.setAtIndex(PTR, 0, call.allocateFrom(program.toString()));
            argv.setAtIndex(PTR, 1, MemorySegment.NULL);
            try {
                check("PyConfig_SetBytesArgv", (MemorySegment) PyConfig_SetBytesArgv.invokeExact((SegmentAllocator) call, config, 1L, argv));
                check("Py_InitializeFromConfig", (MemorySegment) Py_InitializeFromConfig.invokeExact((SegmentAllocator) call, config));
            } finally {
                PyConfig_Clear.invokeExact(config);
            }
            mainThreadState = (MemorySegment) PyEval_SaveThread.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static void check(String function, MemorySegment status) {
        int type = status.get(INT, 0);
        if (type != 0) {
            MemorySegment msg = status.get(PTR, PY_STATUS.byteOffset(MemoryLayout.PathElement.groupElement("err_msg")));
            String text = msg.equals(MemorySegment.NULL) ? "exit code " + status.get(INT, 24)
                    : msg.reinterpret(4096).getString(0);
            throw new PythonException(function + " failed: " + text);
        }
    }

    /** {@code Py_GetVersion()}: {@code 3.13.5 experimental free-threading build (main, ...)}. */
    public String version() {
        try {
            return ((MemorySegment) Py_GetVersion.invokeExact()).reinterpret(1024).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public Path library() {
        return library;
    }

    /** Runs statements in {@code __main__}'s namespace; a Python exception becomes a {@link PythonException}. */
    public void exec(String code) {
        withGil(() -> {
            try (Arena call = Arena.ofConfined()) {
                MemorySegment globals = mainDict(call);
                MemorySegment r = (MemorySegment) PyRun_String.invokeExact(call.allocateFrom(code), PY_FILE_INPUT,
                        globals, globals);
                decRef(notNull(r, "exec"));
                return null;
            } catch (PythonException e) {
                throw e;
            } catch (Throwable t) {
                throw rethrow(t);
            }
        });
    }

    /**
     * Evaluates an expression in {@code __main__}'s namespace with {@code vars} bound to Python strings in a local
     * namespace of this call, and returns {@code str()} of its value.
     */
    public String eval(String expression, Map<String, String> vars) {
        return withGil(() -> {
            try (Arena call = Arena.ofConfined()) {
                MemorySegment globals = mainDict(call);
                MemorySegment locals = notNull((MemorySegment) PyDict_New.invokeExact(), "PyDict_New");
                try {
                    for (Map.Entry<String, String> e : vars.entrySet()) {
                        MemorySegment v = notNull((MemorySegment) PyUnicode_FromString.invokeExact(
                                call.allocateFrom(e.getValue())), "PyUnicode_FromString");
                        int rc = (int) PyDict_SetItemString.invokeExact(locals, call.allocateFrom(e.getKey()), v);
                        decRef(v);
                        if (rc != 0) {
                            throw fetchError("PyDict_SetItemString");
                        }
                    }
                    MemorySegment r = notNull((MemorySegment) PyEval_EvalCode.invokeExact(code(expression, call),
                            globals, locals), "eval");
                    try {
                        return str(r, call);
                    } finally {
                        decRef(r);
                    }
                } finally {
                    decRef(locals);
                }
            } catch (PythonException e) {
                throw e;
            } catch (Throwable t) {
                throw rethrow(t);
            }
        });
    }

    /** Runs {@code work} attached to the interpreter: {@code PyGILState_Ensure} ... {@code PyGILState_Release}. */
    public <T> T withGil(Supplier<T> work) {
        if (closed) {
            throw new IllegalStateException("the interpreter was finalised");
        }
        int state;
        try {
            state = (int) PyGILState_Ensure.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
        try {
            return work.get();
        } finally {
            try {
                PyGILState_Release.invokeExact(state);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }
    }

    /** The expression compiled once (while attached), then kept. */
    private MemorySegment code(String expression, Arena call) throws Throwable {
        MemorySegment code = compiled.get(expression);
        if (code == null) {
            code = notNull((MemorySegment) Py_CompileString.invokeExact(call.allocateFrom(expression),
                    call.allocateFrom("<ftm>"), PY_EVAL_INPUT), "compile");
            MemorySegment before = compiled.putIfAbsent(expression, code);
            if (before != null) {
                decRef(code);
                code = before;
            }
        }
        return code;
    }

    private MemorySegment mainDict(Arena call) throws Throwable {
        MemorySegment main = notNull((MemorySegment) PyImport_AddModule.invokeExact(call.allocateFrom("__main__")),
                "PyImport_AddModule");
        return notNull((MemorySegment) PyModule_GetDict.invokeExact(main), "PyModule_GetDict");
    }

    /** {@code str(obj)} as a Java string. */
    private String str(MemorySegment obj, Arena call) throws Throwable {
        MemorySegment s = notNull((MemorySegment) PyObject_Str.invokeExact(obj), "PyObject_Str");
        try {
            return utf8(s, call);
        } finally {
            decRef(s);
        }
    }

    private String utf8(MemorySegment unicode, Arena call) throws Throwable {
        MemorySegment size = call.allocate(SSIZE);
        MemorySegment chars = notNull((MemorySegment) PyUnicode_AsUTF8AndSize.invokeExact(unicode, size),
                "PyUnicode_AsUTF8AndSize");
        return new String(chars.reinterpret(size.get(SSIZE, 0)).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** A returned {@code PyObject*} that is NULL means a Python exception is set: fetch it and throw it. */
    private MemorySegment notNull(MemorySegment obj, String what) throws Throwable {
        if (obj.equals(MemorySegment.NULL)) {
            throw fetchError(what);
        }
        return obj;
    }

    private PythonException fetchError(String what) throws Throwable {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment type = call.allocate(PTR);
            MemorySegment value = call.allocate(PTR);
            MemorySegment tb = call.allocate(PTR);
            PyErr_Fetch.invokeExact(type, value, tb);
            PyErr_NormalizeException.invokeExact(type, value, tb);
            String text = what + " raised no Python exception";
            MemorySegment t = type.get(PTR, 0);
            MemorySegment v = value.get(PTR, 0);
            if (!t.equals(MemorySegment.NULL)) {
                String typeName = strOrEmpty(t, call);
                String msg = v.equals(MemorySegment.NULL) ? "" : strOrEmpty(v, call);
                text = typeName.replaceFirst("^<class '(.*)'>$", "$1") + (msg.isEmpty() ? "" : ": " + msg);
            }
            decRef(t);
            decRef(v);
            decRef(tb.get(PTR, 0));
            return new PythonException(text);
        }
    }

    /** {@code str(obj)}, or "" when even that raises (the error is cleared: we are already reporting one). */
    private String strOrEmpty(MemorySegment obj, Arena call) throws Throwable {
        MemorySegment s = (MemorySegment) PyObject_Str.invokeExact(obj);
        if (s.equals(MemorySegment.NULL)) {
            MemorySegment[] err = {call.allocate(PTR), call.allocate(PTR), call.allocate(PTR)};
            PyErr_Fetch.invokeExact(err[0], err[1], err[2]);
            for (MemorySegment e : err) {
                decRef(e.get(PTR, 0));
            }
            return "";
        }
        try {
            return utf8(s, call);
        } finally {
            decRef(s);
        }
    }

    private void decRef(MemorySegment obj) throws Throwable {
        if (!obj.equals(MemorySegment.NULL)) {
            Py_DecRef.invokeExact(obj);
        }
    }

    /** Re-attaches the main thread and finalises the interpreter ({@code Py_FinalizeEx}). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            PyEval_RestoreThread.invokeExact(mainThreadState);
            int rc = (int) Py_FinalizeEx.invokeExact();
            if (rc != 0) {
                throw new PythonException("Py_FinalizeEx failed (" + rc + "): flushing buffered data failed");
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
        // dlopen(RTLD_GLOBAL) above holds a reference of its own: libpython stays mapped, as finalised
        // extension modules may still point into it
        lifetime.close();
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
