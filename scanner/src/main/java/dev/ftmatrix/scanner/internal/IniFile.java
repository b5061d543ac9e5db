package dev.ftmatrix.scanner.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An INI file as setuptools and tox read it: {@code [section]}s of {@code key = value}, indented lines continuing the
 * value, whole-line {@code #}/{@code ;} comments and {@code " #"} trailing comments dropped. Keys are lower-case.
 *
 * @param sections section name to its keys and (possibly multi-line) values, in the file's order
 */
record IniFile(Map<String, Map<String, String>> sections) {
    IniFile {
        sections = Collections.unmodifiableMap(new LinkedHashMap<>(sections));
    }

    static IniFile parse(String text) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        String key = null;
        for (String raw : text.replace("\r", "").replaceAll("\\\\\n[ \\t]*", " ").split("\n")) {
            String stripped = raw.strip();
            if (stripped.startsWith("#") || stripped.startsWith(";")) {
                continue;
            }
            // a marker's `;` stays: only a `#` after whitespace starts a comment
            String line = raw.replaceAll("\\s+#.*$", "");
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("[") && line.strip().endsWith("]")) {
                current = sections.computeIfAbsent(line.strip().substring(1, line.strip().length() - 1).strip(),
                        s -> new LinkedHashMap<>());
                key = null;
            } else if (current != null && Character.isWhitespace(line.charAt(0)) && key != null) {
                String prev = current.get(key);
                current.put(key, prev.isEmpty() ? line.strip() : prev + "\n" + line.strip());
            } else if (current != null && line.indexOf('=') > 0) {
                key = line.substring(0, line.indexOf('=')).strip().toLowerCase(Locale.ROOT);
                current.put(key, line.substring(line.indexOf('=') + 1).strip());
            }
        }
        return new IniFile(sections);
    }

    /** The value, or null when the section or key is missing. */
    String get(String section, String key) {
        Map<String, String> s = sections.get(section);
        return s == null ? null : s.get(key);
    }

    Map<String, String> section(String name) {
        return sections.getOrDefault(name, Map.of());
    }
}
