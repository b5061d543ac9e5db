package dev.ftmatrix.wheels.internal;

import dev.ftmatrix.abi.binary.Modules;
import dev.ftmatrix.abi.headers.ElfSymbols;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/** What a wheel holds that can be imported: its extension modules, as dotted names an {@code import} takes. */
public final class WheelFiles {
    /** {@code NAME.data/purelib/} and {@code NAME.data/platlib/} install into site-packages as the root does. */
    private static final Pattern DATA_LIB = Pattern.compile("^[^/]+\\.data/(?:purelib|platlib)/");
    private static final long MAX_MODULE = 256L << 20;
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private WheelFiles() {
    }

    /** The extension modules of {@code wheel}, sorted; vendored libraries ({@code pkg.libs/libz.so}) are not. */
    public static List<String> extensionModules(Path wheel) {
        TreeSet<String> out = new TreeSet<>();
        try (ZipFile zip = ZipFile.builder().setPath(wheel).get()) {
            for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
                if (e.isDirectory()) {
                    continue;
                }
                String path = DATA_LIB.matcher(e.getName()).replaceFirst("");
                String dotted = moduleName(path);
                if (dotted != null && e.getSize() <= MAX_MODULE && initialises(zip, e, dotted)) {
                    out.add(dotted);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read wheel " + wheel + ": " + e.getMessage(), e);
        }
        return List.copyOf(out);
    }

    /**
     * Whether the shared object is an extension module: it exports {@code PyInit_NAME} (or 3.15's
     * {@code PyModExport_NAME}). Libraries loaded with ctypes or cffi's ABI mode ({@code Crypto/Cipher/_ARC4*.so}) have
     * a module's file name but are no module; {@code import} cannot load them.
     */
    private static boolean initialises(ZipFile zip, ZipArchiveEntry e, String dotted) throws IOException {
        byte[] image;
        try (InputStream in = zip.getInputStream(e)) {
            image = in.readNBytes((int) MAX_MODULE);
        }
        if (image.length < 4 || ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getInt(0) != 0x464c457f) {
            return true;   // not ELF: the import will tell
        }
        String last = dotted.substring(dotted.lastIndexOf('.') + 1);
        try {
            Set<String> exported = ElfSymbols.read(ByteBuffer.wrap(image), e.getName()).exported();
            return exported.contains("PyInit_" + last) || exported.contains("PyModExport_" + last);
        } catch (IllegalArgumentException unreadable) {
            return true;   // the import will tell
        }
    }

    /** {@code pkg/sub/_ext.cpython-313t-x86_64-linux-gnu.so} to {@code pkg.sub._ext}; null for anything else. */
    static String moduleName(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1);
        if (path.contains(".data/") || !Modules.isModule(base) || base.endsWith(".pyd") || base.endsWith(".dylib")) {
            return null;
        }
        String[] parts = path.split("/");
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            if (!IDENTIFIER.matcher(parts[i]).matches()) {
                return null;   // pkg.libs/, a dist-info, anything no import reaches
            }
            name.append(parts[i]).append('.');
        }
        String module = base.substring(0, base.indexOf('.'));
        if (!IDENTIFIER.matcher(module).matches()) {
            return null;
        }
        return name.append(module).toString();
    }
}
