package dev.ftmatrix.wheels;

import dev.ftmatrix.core.UserInputException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A release on the package index: {@code pypi:NAME} (the latest; {@code version} empty until resolved) or
 * {@code pypi:NAME==VERSION}.
 */
public record Release(String name, String version) {
    private static final Pattern SOURCE = Pattern.compile("^pypi:([A-Za-z0-9][A-Za-z0-9._-]*)(?:==([A-Za-z0-9.+!_-]+))?$");

    public Release {
        version = version == null ? "" : version;
    }

    /** Parses a {@code pypi:} source, or a user error that names the input and the form. */
    public static Release parse(String source) {
        Matcher m = SOURCE.matcher(source.strip());
        if (!m.matches()) {
            throw new UserInputException("'" + source + "' is not a release on the index: give pypi:NAME (the latest)"
                    + " or pypi:NAME==VERSION");
        }
        return new Release(m.group(1), m.group(2));
    }

    public boolean latest() {
        return version.isEmpty();
    }

    @Override
    public String toString() {
        return "pypi:" + name + (version.isEmpty() ? "" : "==" + version);
    }
}
