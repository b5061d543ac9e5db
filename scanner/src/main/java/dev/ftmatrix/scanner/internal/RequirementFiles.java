package dev.ftmatrix.scanner.internal;

import dev.ftmatrix.support.PipRequirements;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * pip requirements files of a source tree ({@link PipRequirements} reads each): requirement lines in order,
 * {@code -r}/{@code --requirement} includes followed (relative to the including file, each file once), {@code -e}
 * kept as its path, options ({@code -c}, {@code -i}, {@code --hash}, ...) left out.
 */
final class RequirementFiles {
    private RequirementFiles() {
    }

    /** The file's requirements and those of its includes, one part per file, in reading order. */
    static List<SourcedRequirements> read(SourceTree tree, String file, Set<String> seen) {
        List<SourcedRequirements> out = new ArrayList<>();
        if (!tree.exists(file) || !seen.add(file)) {
            return out;
        }
        List<String> current = new ArrayList<>();
        for (PipRequirements.Line line : PipRequirements.parse(tree.text(file))) {
            if (line.kind() == PipRequirements.Kind.INCLUDE) {
                out.add(new SourcedRequirements(file, current));
                current = new ArrayList<>();
                out.addAll(read(tree, relativeTo(file, line.value()), seen));
            } else {
                current.add(line.value());   // a requirement, or an editable's path
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
