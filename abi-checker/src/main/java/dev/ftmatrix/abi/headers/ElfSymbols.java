package dev.ftmatrix.abi.headers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The symbols a shared library exports, read from its ELF {@code .dynsym} table: defined (not {@code UND}), global
 * or weak, functions, data and untyped labels, as {@code nm -D --defined-only} lists them. ELF64 and ELF32, either byte order.
 */
public final class ElfSymbols {
    private static final int SHT_DYNSYM = 11;
    private static final int STB_GLOBAL = 1;
    private static final int STB_WEAK = 2;
    private static final int STT_NOTYPE = 0;
    private static final int STT_OBJECT = 1;
    private static final int STT_FUNC = 2;
    private static final int STT_TLS = 6;
    private static final int STT_GNU_IFUNC = 10;

    private ElfSymbols() {
    }

    /** A library's dynamic symbols: those it defines (exports) and those it needs from others (imports). */
    public record Table(Set<String> exported, Set<String> imported) {
    }

    /** The exported function and data names of {@code library}. */
    public static Set<String> exported(Path library) {
        return read(library).exported();
    }

    /** Both tables of {@code library}. */
    public static Table read(Path library) {
        try (FileChannel ch = FileChannel.open(library, StandardOpenOption.READ)) {
            return read(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()), library.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + library, e);
        }
    }

    /** Both tables of the ELF image in {@code b} ({@code name} for messages); not an ELF file: an IllegalArgumentException. */
    public static Table read(ByteBuffer b, String name) {
        if (b.limit() < 64 || b.getInt(0) != 0x7f454c46) {
            throw new IllegalArgumentException(name + " is not an ELF file");
        }
        try {
            return table(b);
        } catch (IndexOutOfBoundsException e) {
            // a truncated or malformed file (wheels are untrusted input): say so instead of failing the whole check
            throw new IllegalArgumentException(name + " is not a well-formed ELF file: " + e.getMessage(), e);
        }
    }

    private static Table table(ByteBuffer b) {
        boolean is64 = b.get(4) == 2;
        b.order(b.get(5) == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        long shoff = is64 ? b.getLong(0x28) : Integer.toUnsignedLong(b.getInt(0x20));
        int shentsize = Short.toUnsignedInt(b.getShort(is64 ? 0x3A : 0x2E));
        int shnum = Short.toUnsignedInt(b.getShort(is64 ? 0x3C : 0x30));
        Set<String> out = new TreeSet<>();
        Set<String> imports = new TreeSet<>();
        for (int i = 0; i < shnum; i++) {
            int sh = (int) (shoff + (long) i * shentsize);
            if (b.getInt(sh + 4) != SHT_DYNSYM) {
                continue;
            }
            long offset = is64 ? b.getLong(sh + 0x18) : Integer.toUnsignedLong(b.getInt(sh + 0x10));
            long size = is64 ? b.getLong(sh + 0x20) : Integer.toUnsignedLong(b.getInt(sh + 0x14));
            int link = b.getInt(sh + (is64 ? 0x28 : 0x18));
            long entsize = is64 ? b.getLong(sh + 0x38) : Integer.toUnsignedLong(b.getInt(sh + 0x24));
            int str = (int) (shoff + (long) link * shentsize);
            long strOffset = is64 ? b.getLong(str + 0x18) : Integer.toUnsignedLong(b.getInt(str + 0x10));
            for (long e = offset + entsize; e + entsize <= offset + size; e += entsize) {
                int p = (int) e;
                int nameAt = b.getInt(p);
                int info = Byte.toUnsignedInt(b.get(p + (is64 ? 4 : 12)));
                int shndx = Short.toUnsignedInt(b.getShort(p + (is64 ? 6 : 14)));
                int bind = info >> 4;
                int type = info & 0xf;
                boolean exported = shndx != 0 && (bind == STB_GLOBAL || bind == STB_WEAK)
                        && (type == STT_NOTYPE || type == STT_FUNC || type == STT_OBJECT || type == STT_TLS || type == STT_GNU_IFUNC);
                boolean imported = shndx == 0 && nameAt != 0 && (bind == STB_GLOBAL || bind == STB_WEAK);
                if (exported) {
                    out.add(cString(b, (int) (strOffset + Integer.toUnsignedLong(nameAt))));
                } else if (imported) {
                    imports.add(cString(b, (int) (strOffset + Integer.toUnsignedLong(nameAt))));
                }
            }
        }
        return new Table(Collections.unmodifiableSet(out), Collections.unmodifiableSet(imports));
    }

    private static String cString(ByteBuffer b, int at) {
        int end = at;
        while (b.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - at];
        b.get(at, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
