package dev.ftmatrix.service;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ftmatrix.core.ProjectSpec;
import dev.ftmatrix.core.UserInputException;
import dev.ftmatrix.core.Variant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A matrix file, {@code matrices/*.yaml}: validated strictly, errors with line and column. */
record MatrixFile(String name, List<ProjectSpec> projects) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    record Doc(@JsonProperty(value = "schema", required = true) int schema,
               @JsonProperty(value = "name", required = true) String name,
               @JsonProperty("variants") List<String> variants,
               @JsonProperty(value = "projects", required = true) List<ProjectDoc> projects) {
        @JsonCreator
        Doc {
        }
    }

    record ProjectDoc(@JsonProperty(value = "name", required = true) String name,
                      @JsonProperty(value = "source", required = true) String source,
                      @JsonProperty("ref") String ref,
                      @JsonProperty("subdirectory") String subdirectory,
                      @JsonProperty("variants") List<String> variants,
                      @JsonProperty("env") Map<String, String> env,
                      @JsonProperty("tests") List<String> tests,
                      @JsonProperty("patches") List<String> patches,
                      @JsonProperty("threadUnsafe") List<String> threadUnsafe) {
        @JsonCreator
        ProjectDoc {
        }
    }

    static MatrixFile load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("matrix " + file + ": no such file; give a matrices/*.yaml file");
        }
        Doc doc;
        try {
            doc = YAML.readValue(file.toFile(), Doc.class);
        } catch (UnrecognizedPropertyException e) {
            throw new UserInputException(file + keyAt(file, e.getPropertyName(), e.getLocation()) + ": unknown key '"
                    + e.getPropertyName()
                    + "'; known keys: " + e.getKnownPropertyIds());
        } catch (JsonProcessingException e) {
            if (e instanceof MismatchedInputException m && !m.getOriginalMessage().startsWith("Missing required")) {
                throw new UserInputException(file + at(e.getLocation()) + ": " + mismatch(m)
                        + "; see matrices/demo.yaml for the format");
            }
            String msg = e.getOriginalMessage().replaceAll("(?s)Missing required creator property '([^']+)'.*",
                    "missing required key '$1'").replaceAll("(?s)\\s*\\(for .*$", "").replaceAll("\\s+", " ");
            throw new UserInputException(file + at(e.getLocation()) + ": " + msg + "; see matrices/demo.yaml for the format");
        } catch (IOException e) {
            throw new UserInputException("matrix " + file + ": cannot read (" + e.getMessage() + ")");
        }
        if (doc.schema() != 1) {
            throw new UserInputException(file + ": schema " + doc.schema() + " is not supported; write schema: 1");
        }
        if (doc.projects() == null || doc.projects().isEmpty()) {
            throw new UserInputException(file + ": 'projects' is empty; list at least one project");
        }
        List<Variant> defaults = variants(file, doc.name(), doc.variants() == null
                ? List.of("cp313", "cp313t", "cp314", "cp314t") : doc.variants());
        Set<String> names = new HashSet<>();
        present(file, "the matrix", "name", doc.name());
        List<ProjectSpec> specs = doc.projects().stream().map(p -> {
            if (p == null) {
                throw new UserInputException(file + ": 'projects' has an empty item; give each project a name and a"
                        + " source");
            }
            present(file, "a project", "name", p.name());
            present(file, "project '" + p.name() + "'", "source", p.source());
            String where = "project '" + p.name() + "'";
            for (List<String> list : Arrays.asList(p.variants(), p.tests(), p.threadUnsafe(), p.patches())) {
                if (list != null && list.contains(null)) {
                    throw new UserInputException(file + ": " + where + " has an empty list item; remove it or give"
                            + " it a value");
                }
            }
            if (p.env() != null) {
                p.env().forEach((k, v) -> present(file, where, "env " + k, v));
            }
            if (!p.name().matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw new UserInputException(file + ": project name '" + p.name() + "' must be letters, digits, '.', '_'"
                        + " or '-' (it names files and URLs)");
            }
            if (!names.add(p.name())) {
                throw new UserInputException(file + ": project '" + p.name() + "' is listed twice; rename or remove one");
            }
            if (!p.source().matches("(git\\+|path:|fixture:|pypi:).+")) {
                throw new UserInputException(file + ": project '" + p.name() + "' has source '" + p.source()
                        + "'; write git+URL, path:DIR, pypi:NAME==VERSION or fixture:NAME");
            }
            List<Variant> vs = p.variants() == null ? defaults : variants(file, p.name(), p.variants());
            return new ProjectSpec(p.name(), p.source(), p.ref(), p.subdirectory(), vs,
                    p.env() == null ? Map.of() : p.env(), p.tests() == null ? List.of() : p.tests(), p.threadUnsafe());
        }).toList();
        return new MatrixFile(doc.name(), specs);
    }

    /** A key written with no value ({@code source:} or {@code source: ~}) is a user error, not a null. */
    private static void present(Path file, String where, String key, Object value) {
        if (value == null) {
            throw new UserInputException(file + ": " + where + " has '" + key + "' with no value; give it one");
        }
    }

    private static List<Variant> variants(Path file, String where, List<String> ids) {
        if (ids.isEmpty()) {
            // an empty list would check nothing and still pass a CI gate
            throw new UserInputException(file + " (" + where + "): 'variants' is empty; name at least one, e.g."
                    + " [cp313, cp313t], or leave the key out for the default");
        }
        try {
            return ids.stream().map(Variant::parse).distinct().sorted().toList();
        } catch (IllegalArgumentException e) {
            throw new UserInputException(file + " (" + where + "): " + e.getMessage());
        }
    }

    /**
     * Where a key is: the YAML parser reports the position after the key's value, so look for the key itself on
     * the lines up to that position.
     */
    private static String keyAt(Path file, String key, JsonLocation after) {
        try {
            List<String> lines = Files.readAllLines(file);
            int last = after == null ? lines.size() : Math.min(lines.size(), after.getLineNr());
            Pattern p = Pattern.compile("^(\\s*(?:-\\s+)?)[\"']?"
                    + Pattern.quote(key) + "[\"']?\\s*:");
            for (int i = last - 1; i >= 0; i--) {
                Matcher m = p.matcher(lines.get(i));
                if (m.find()) {
                    return ":" + (i + 1) + ":" + (m.group(1).length() + 1);
                }
            }
        } catch (IOException e) {
            return at(after);
        }
        return at(after);
    }

    /** {@code 'projects[0].variants' should be a list, e.g. [cp313, cp313t], not a string}: the key and its expected type. */
    private static String mismatch(MismatchedInputException e) {
        StringBuilder key = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                key.append(key.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                key.append('[').append(r.getIndex()).append(']');
            }
        }
        Class<?> t = e.getTargetType();
        String expected;
        if (t == null) {
            expected = "of another type";
        } else if (Collection.class.isAssignableFrom(t)) {
            expected = key.toString().endsWith("variants") ? "a list, e.g. [cp313, cp313t]" : "a list, e.g. [a, b]";
        } else if (Map.class.isAssignableFrom(t) || t.isRecord()) {
            expected = "a mapping of keys to values";
        } else if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
            expected = "a whole number";
        } else if (t == boolean.class || t == Boolean.class) {
            expected = "true or false";
        } else if (t == String.class) {
            expected = "a single value (a string)";
        } else {
            expected = "of another type";
        }
        Matcher found = Pattern.compile("from (\\w+) value").matcher(e.getOriginalMessage());
        String was = e instanceof InvalidFormatException f && f.getValue() != null
                ? ", not '" + f.getValue() + "'" : !found.find() ? "" : switch (found.group(1)) {
            case "Array" -> ", not a list";
            case "Object" -> ", not a mapping";
            case "String" -> ", not a string";
            case "Integer", "Double", "Float", "Number" -> ", not a number";
            case "Boolean" -> ", not true/false";
            default -> "";
        };
        return (key.isEmpty() ? "the file" : "'" + key + "'") + " should be " + expected + was;
    }

    private static String at(JsonLocation loc) {
        return loc == null ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr();
    }
}
