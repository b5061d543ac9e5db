package dev.ftmatrix.support;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a {@code Cargo.toml} pins a crate's version, in each way Cargo reads it: {@code pyo3 = "0.22"},
 * {@code pyo3 = { version = "0.22", ... }}, {@code pyo3.version = "0.22"}, and a table of its own
 * ({@code [dependencies.pyo3]}, also under {@code workspace.} or a {@code target.'cfg(..)'.}) with a {@code version}
 * line. Text, not a TOML parser: the place of the version in the file is what a patch rewrites.
 */
final class CargoPins {
    /** One pinned version: {@code version} as written (inside the quotes), at {@code start} of the text. */
    record Pin(String crate, String version, int start) {
    }

    private CargoPins() {
    }

    /** Every pin of {@code crates} in {@code toml}, in the order they appear. */
    static List<Pin> find(String toml, List<String> crates) {
        String names = String.join("|", crates.stream().map(Pattern::quote).toList());
        List<Pin> out = new ArrayList<>();
        Matcher key = Pattern.compile("(?m)^(" + names + ")\\s*(?:=\\s*(?:\"([^\"]+)\"|\\{[^}]*?\\bversion\\s*=\\s*\"([^\"]+)\")"
                + "|\\.version\\s*=\\s*\"([^\"]+)\")").matcher(toml);
        while (key.find()) {
            int g = key.group(2) != null ? 2 : key.group(3) != null ? 3 : 4;
            out.add(new Pin(key.group(1), key.group(g), key.start(g)));
        }
        Matcher table = Pattern.compile("(?m)^\\[\\s*(?:workspace\\.|target\\.[^\\]\\n]+\\.)?dependencies\\.(" + names
                + ")\\s*\\]").matcher(toml);
        while (table.find()) {
            int bodyEnd = nextTable(toml, table.end());
            Matcher v = Pattern.compile("(?m)^version\\s*=\\s*\"([^\"]+)\"").matcher(toml).region(table.end(), bodyEnd);
            if (v.find()) {
                out.add(new Pin(table.group(1), v.group(1), v.start(1)));
            }
        }
        out.sort(Comparator.comparingInt(Pin::start));
        return out;
    }

    private static int nextTable(String toml, int from) {
        Matcher m = Pattern.compile("(?m)^\\s*\\[").matcher(toml);
        return m.find(from) ? m.start() : toml.length();
    }
}
