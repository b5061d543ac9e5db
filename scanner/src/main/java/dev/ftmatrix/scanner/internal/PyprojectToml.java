package dev.ftmatrix.scanner.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.ftmatrix.core.UserInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** TOML files of a project ({@code pyproject.toml}, {@code Cargo.toml}, {@code Cargo.lock}) as Jackson trees. */
public final class PyprojectToml {
    private static final TomlMapper TOML = new TomlMapper();

    private PyprojectToml() {
    }

    /** The parsed file, or a missing node when the tree has no such file. */
    public static JsonNode read(SourceTree tree, String rel) {
        if (!tree.exists(rel)) {
            return MissingNode.getInstance();
        }
        try {
            return TOML.readTree(tree.text(rel));
        } catch (IOException e) {
            throw new UserInputException(rel + " of the project is not valid TOML: " + e.getMessage()
                    .replaceAll("\\s+", " ") + "; fix the file (pip could not build it either)", e);
        }
    }

    /** The strings of an array node (others are skipped). */
    public static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) {
            if (n.isTextual()) {
                out.add(n.asText());
            }
        }
        return out;
    }
}
