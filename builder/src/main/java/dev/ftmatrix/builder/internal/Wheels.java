package dev.ftmatrix.builder.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Reads built wheels. */
public final class Wheels {
    private Wheels() {
    }

    /** The dotted names of the extension modules in a wheel: {@code pkg/_speedups.cpython-313t-x86_64-linux-gnu.so}. */
    public static List<String> extensionModules(Path wheel) {
        List<String> out = new ArrayList<>();
        try (ZipFile z = new ZipFile(wheel.toFile())) {
            for (ZipEntry e : Collections.list(z.entries())) {
                String n = e.getName();
                if (n.contains(".data/") || n.contains(".dist-info/")) {
                    continue;
                }
                if (n.endsWith(".so") || n.endsWith(".pyd")) {
                    String base = n.substring(0, n.length() - (n.endsWith(".so") ? 3 : 4));
                    int slash = base.lastIndexOf('/');
                    String file = base.substring(slash + 1);
                    int dot = file.indexOf('.');
                    String mod = dot < 0 ? file : file.substring(0, dot);
                    String pkg = slash < 0 ? "" : base.substring(0, slash).replace('/', '.') + ".";
                    out.add(pkg + mod);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable wheel " + wheel, e);
        }
        Collections.sort(out);
        return out;
    }
}
