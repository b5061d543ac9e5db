package dev.ftmatrix.scanner.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pip requirements files: requirement lines in order, {@code -r}/{@code --requirement} includes followed (relative
 * to the including file, each file once), {@code -e} kept as its path, other options ({@code -c}, {@code -i},
 * {@code --hash}, ...) left out.
 */
final class RequirementFiles {
    private static final Pattern INCLUDE = Pattern.compile("^(?:-r|--requirement)(?:\\s*=\\s*|\\s*)(\\S+)$");
    private static final Pattern EDITABLE = Pattern.compile("^(?:-e|--editable)(?:\\s*=\\s*|\\s+)(\\S+)");
    /** Per-requirement options after the requirement ({@code --hash=...}, {@code --config-settings ...}). */
    private static final Pattern TRAILING_OPTIONS = Pattern.compile("\\s+--?[A-Za-z].*$");

    private RequirementFiles() {
    }

    /** The file's requirements and those of its includes, one part per file, in reading order. */
    static List<SourcedRequirements> read(SourceTree tree, String file, Set<String> seen) {
        List<SourcedRequirements> out = new ArrayList<>();
        if (!tree.exists(file) || !seen.add(file)) {
            return out;
        }
        List<String> current = new ArrayList<>();
        for (String raw : tree.text(file).replace("\r", "").replaceAll("\\\\\n", " ").split("\n")) {
            String line = raw.strip().startsWith("#") ? "" : raw.replaceAll("\\s+#.*$", "").strip();
            Matcher include = INCLUDE.matcher(line);
            Matcher editable = EDITABLE.matcher(line);
            if (include.matches()) {
                out.add(new SourcedRequirements(file, current));
                current = new ArrayList<>();
                out.addAll(read(tree, relativeTo(file, include.group(1)), seen));
            } else if (editable.lookingAt()) {
                current.add(editable.group(1));
            } else if (!line.isEmpty() && !line.startsWith("-")) {
                current.add(TRAILING_OPTIONS.matcher(line).replaceFirst(""));
            }
        }
        out.add(new SourcedRequirements(file, current));
        return out.stream().filter(p -> !p.requirements().isEmpty() || p == out.getFirst()).toList();
    }

    /** {@code ref} as pip resolves it from {@code file}: relative to its directory, {@code ..} allowed. */
    static String relativeTo(String file, String ref) {
        String dir = SourceTree.dirOf(file);
        Path p = (dir.isEmpty() ? Path.of(ref) : Path.of(dir).resolve(ref)).normalize();
        return p.toString().replace('\\', '/');
    }
}
