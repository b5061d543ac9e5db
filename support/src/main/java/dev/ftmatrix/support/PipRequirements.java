package dev.ftmatrix.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of a pip requirements file read as pip reads it (its {@code req_file}): backslash continuations joined
 * (a comment line ends one), comments stripped, then each line a requirement, an include or an editable, with the
 * 1-based line it starts on. Options ({@code --index-url}, {@code -c}, ...) are left out, and so are a requirement's
 * own options after it ({@code --hash=...}, {@code --config-settings ...}). The caller reads the files and follows
 * the includes.
 */
public final class PipRequirements {
    /** A comment: {@code #} at the start or after white space ({@code file:.#egg=x} is no comment). */
    private static final Pattern COMMENT = Pattern.compile("(^|\\s+)#.*$");
    private static final Pattern COMMENT_LINE = Pattern.compile("^\\s*#");
    private static final Pattern INCLUDE = Pattern.compile("^(?:-r|--requirement)(?:\\s*=\\s*|\\s*)(\\S+)");
    private static final Pattern EDITABLE = Pattern.compile("^(?:-e|--editable)(?:\\s*=\\s*|\\s+)(\\S+)");
    /** pip cuts a requirement line at its first option, as its {@code break_args_options} does. */
    private static final Pattern TRAILING_OPTIONS = Pattern.compile("\\s+--?[A-Za-z].*$");
    /** The project name a PEP 508 requirement starts with. */
    private static final Pattern NAME = Pattern.compile("^\\s*([A-Za-z0-9][A-Za-z0-9._-]*)");

    private PipRequirements() {
    }

    /** What a line of a requirements file is. */
    public enum Kind {
        /** A PEP 508 requirement, a URL or a path, its options cut off. */
        REQUIREMENT,
        /** {@code -r}/{@code --requirement}: the file named, as written (relative to the including file). */
        INCLUDE,
        /** {@code -e}/{@code --editable}: the path or URL installed editable. */
        EDITABLE
    }

    /** One logical line: its kind, its value (the requirement, the included file or the editable target), its line. */
    public record Line(Kind kind, String value, int number) {
    }

    /** The project name {@code requirement} starts with ({@code mypy} of {@code mypy>=1.17}); null when none. */
    public static String projectName(String requirement) {
        Matcher m = NAME.matcher(requirement);
        return m.find() ? m.group(1) : null;
    }

    /** PEP 503's normalized form of a project name: lower case, runs of {@code -_.} as one {@code -}. */
    public static String normalized(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    /** The requirements, includes and editables of {@code text}, in order. */
    public static List<Line> parse(String text) {
        List<Line> out = new ArrayList<>();
        List<String> physical = text.lines().toList();
        for (int i = 0; i < physical.size(); i++) {
            int number = i + 1;
            StringBuilder joined = new StringBuilder();
            String l = physical.get(i);
            while (l.endsWith("\\") && !COMMENT_LINE.matcher(l).find()) {
                joined.append(l, 0, l.length() - 1).append(' ');
                if (++i == physical.size()) {
                    l = "";
                    break;
                }
                l = physical.get(i).strip();
            }
            String line = COMMENT.matcher(joined.append(l)).replaceFirst("").strip();
            Line parsed = line(line, number);
            if (parsed != null) {
                out.add(parsed);
            }
        }
        return List.copyOf(out);
    }

    private static Line line(String line, int number) {
        Matcher include = INCLUDE.matcher(line);
        if (include.lookingAt()) {
            return new Line(Kind.INCLUDE, include.group(1), number);
        }
        Matcher editable = EDITABLE.matcher(line);
        if (editable.lookingAt()) {
            return new Line(Kind.EDITABLE, editable.group(1), number);
        }
        if (line.isEmpty() || line.startsWith("-")) {
            return null;   // an option of the file, not of one requirement
        }
        return new Line(Kind.REQUIREMENT, TRAILING_OPTIONS.matcher(line).replaceFirst(""), number);
    }
}
