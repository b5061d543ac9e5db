package dev.ftmatrix.abi.mirror;

import dev.ftmatrix.core.HeaderDelta;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Lays out a project's struct the way an LP64 C compiler does (natural alignment, the x86-64 / AArch64 Linux ABI),
 * with CPython's own structs at their measured size for the build, and other mirrors of the project laid out in turn.
 */
final class MirrorLayout {
    /** The computed layout: size, alignment and the offset of each field. */
    record Computed(long size, long align, Map<String, Long> offsets) {
    }

    private static final Map<String, Integer> PRIMITIVES = primitives();

    private final Map<String, Mirror> mirrors;
    private final Map<String, HeaderDelta.Layout> real;
    private final Set<String> inProgress = new HashSet<>();

    MirrorLayout(Map<String, Mirror> mirrors, Map<String, HeaderDelta.Layout> real) {
        this.mirrors = mirrors;
        this.real = real;
    }

    /** The layout of {@code m}, or null when a field's type cannot be sized without a compiler. */
    Computed of(Mirror m) {
        if (!inProgress.add(m.name())) {
            return null;
        }
        try {
            long offset = 0;
            long align = 1;
            long size = 0;
            Map<String, Long> offsets = new LinkedHashMap<>();
            for (Mirror.Field f : m.fields()) {
                long[] sa = sizeAlign(f.type());
                if (sa == null) {
                    return null;
                }
                long fieldSize = sa[0] * f.count();
                align = Math.max(align, sa[1]);
                if (m.union()) {
                    offsets.put(f.name(), 0L);
                    size = Math.max(size, fieldSize);
                } else {
                    offset = alignUp(offset, sa[1]);
                    offsets.put(f.name(), offset);
                    offset += fieldSize;
                    size = offset;
                }
            }
            return new Computed(alignUp(size, align), align, offsets);
        } finally {
            inProgress.remove(m.name());
        }
    }

    /** {size, align} of a type as written in C, Rust, ctypes or Cython; null when unknown. */
    long[] sizeAlign(String written) {
        String t = written.strip();
        if (t.startsWith("*") || t.endsWith("*") || t.startsWith("&") || t.startsWith("Option<") || t.contains("fn(")
                || t.contains("fn (") || t.matches("(ctypes\\.)?(POINTER|CFUNCTYPE|PYFUNCTYPE)\\(.*") || t.startsWith("NonNull<")
                || t.startsWith("Box<") || t.startsWith("AtomicPtr")) {
            return new long[] {8, 8};
        }
        t = t.replaceAll("\\b(?:libc|std::os::raw|std::ffi|core::ffi|std::sync::atomic|core::sync::atomic|crate|ffi"
                + "|pyo3_ffi|super)::", "").replace("ctypes.", "");
        t = t.replaceAll("^(?:UnsafeCell|Cell|ManuallyDrop|MaybeUninit)<(.*)>$", "$1");
        t = t.replaceAll("\\b(?:const|volatile|struct|union|enum)\\b", " ").replaceAll("\\s+", " ").strip();
        Integer p = PRIMITIVES.get(t);
        if (p != null) {
            return new long[] {p, p};
        }
        Mirror m = mirrors.get(t); // mirrors of the same file: a binding's PyObject, not another language's
        if (m != null) {
            Computed c = of(m);
            return c == null ? null : new long[] {c.size(), c.align()};
        }
        HeaderDelta.Layout r = real.get(t);
        return r == null ? null : new long[] {r.size(), r.align()};
    }

    private static long alignUp(long v, long a) {
        return (v + a - 1) / a * a;
    }

    private static Map<String, Integer> primitives() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String t : new String[] {"Py_ssize_t", "Py_hash_t", "Py_uhash_t", "ssize_t", "size_t", "isize", "usize",
                "intptr_t", "uintptr_t", "long", "unsigned long", "long int", "long long", "unsigned long long",
                "int64_t", "uint64_t", "i64", "u64", "double", "f64", "c_long", "c_ulong", "c_longlong", "c_ulonglong",
                "c_ssize_t", "c_size_t", "c_double", "c_void_p", "c_char_p", "c_wchar_p", "py_object", "AtomicIsize",
                "AtomicUsize", "AtomicI64", "AtomicU64", "Py_ssize_t_", "PyObject_p"}) {
            m.put(t, 8);
        }
        for (String t : new String[] {"int", "unsigned", "unsigned int", "signed int", "int32_t", "uint32_t", "i32", "u32",
                "float", "f32", "c_int", "c_uint", "c_float", "AtomicI32", "AtomicU32", "Py_UCS4", "c_int32", "c_uint32"}) {
            m.put(t, 4);
        }
        for (String t : new String[] {"short", "unsigned short", "int16_t", "uint16_t", "i16", "u16", "c_short",
                "c_ushort", "AtomicI16", "AtomicU16", "Py_UCS2", "c_int16", "c_uint16"}) {
            m.put(t, 2);
        }
        for (String t : new String[] {"char", "signed char", "unsigned char", "int8_t", "uint8_t", "i8", "u8", "bool",
                "_Bool", "c_char", "c_schar", "c_uchar", "c_byte", "c_ubyte", "c_bool", "AtomicU8", "AtomicI8",
                "AtomicBool", "Py_UCS1", "c_int8", "c_uint8"}) {
            m.put(t, 1);
        }
        return Map.copyOf(m);
    }
}
