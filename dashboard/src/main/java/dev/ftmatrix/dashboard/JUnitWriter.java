package dev.ftmatrix.dashboard;

import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.TestResult;
import dev.ftmatrix.core.Verdict;
import dev.ftmatrix.core.VariantResult;
import dev.ftmatrix.dashboard.internal.Xml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code ftm check --junit}: JUnit XML with one {@code <testsuite>} per variant and one {@code <testcase>} per test,
 * the form CI systems (GitHub, GitLab, Jenkins) read. Crashes and hangs are errors, failures failures. A variant that
 * did not build or was skipped has one test case, {@code build}, saying so.
 */
public final class JUnitWriter {
    private JUnitWriter() {
    }

    public static void write(CheckResult r, Path file) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, xml(r));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JUnit XML to " + file, e);
        }
    }

    public static String xml(CheckResult r) {
        StringBuilder suites = new StringBuilder();
        int tests = 0, failures = 0, errors = 0, skipped = 0;
        long millis = 0;
        for (VariantResult v : r.variants().values()) {
            StringBuilder cases = new StringBuilder();
            int t = 0, f = 0, e = 0, s = 0;
            long ms = v.build().millis();
            if (v.tests().isEmpty()) {
                t = 1;
                cases.append("    <testcase classname=\"").append(Xml.esc(v.variant().id())).append("\" name=\"build\" time=\"")
                        .append(seconds(v.build().millis())).append("\">");
                if (v.verdict() == Verdict.SKIPPED) {
                    s = 1;
                    cases.append("<skipped message=\"").append(Xml.esc(v.verdictReason())).append("\"/>");
                } else if (!v.build().ok()) {
                    e = 1;
                    cases.append("<error type=\"build-failed\" message=\"").append(Xml.esc(v.build().reason())).append("\">")
                            .append(Xml.esc(v.build().logTail())).append("</error>");
                } else if (v.verdict() != Verdict.READY && v.verdict() != Verdict.WORKS_UNDECLARED) {
                    e = 1;
                    cases.append("<error type=\"").append(v.verdict().word()).append("\" message=\"")
                            .append(Xml.esc(v.verdictReason())).append("\"/>");
                }
                cases.append("</testcase>\n");
            }
            for (TestResult test : v.tests()) {
                t++;
                ms += test.millis();
                cases.append("    <testcase classname=\"").append(Xml.esc(classname(v.variant().id(), test.id())))
                        .append("\" name=\"").append(Xml.esc(name(test.id()))).append("\" time=\"")
                        .append(seconds(test.millis())).append('"');
                String firstLine = test.message().lines().findFirst().orElse(test.outcome().word());
                switch (test.outcome()) {
                    case PASS -> cases.append("/>\n");
                    case SKIP -> {
                        s++;
                        cases.append("><skipped message=\"").append(Xml.esc(firstLine)).append("\"/></testcase>\n");
                    }
                    case FAIL -> {
                        f++;
                        cases.append("><failure type=\"fail\" message=\"").append(Xml.esc(firstLine)).append("\">")
                                .append(Xml.esc(test.message())).append("</failure></testcase>\n");
                    }
                    case ERROR, CRASH, HANG -> {
                        e++;
                        cases.append("><error type=\"").append(test.outcome().word()).append("\" message=\"")
                                .append(Xml.esc(firstLine)).append("\">").append(Xml.esc(test.message()))
                                .append("</error></testcase>\n");
                    }
                }
            }
            suites.append("  <testsuite name=\"").append(Xml.esc(r.project() + " [" + v.variant().id() + "]"))
                    .append("\" tests=\"").append(t).append("\" failures=\"").append(f).append("\" errors=\"").append(e)
                    .append("\" skipped=\"").append(s).append("\" time=\"").append(seconds(ms)).append("\" timestamp=\"")
                    .append(Xml.esc(r.finishedAt())).append("\">\n    <properties>")
                    .append(property("verdict", v.verdict().word())).append(property("reason", v.verdictReason()))
                    .append(property("toolchain", v.toolchain())).append(property("fingerprint", r.fingerprint()))
                    .append("</properties>\n").append(cases).append("  </testsuite>\n");
            tests += t;
            failures += f;
            errors += e;
            skipped += s;
            millis += ms;
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"" + Xml.esc("ftm check " + r.project())
                + "\" tests=\"" + tests + "\" failures=\"" + failures + "\" errors=\"" + errors + "\" skipped=\""
                + skipped + "\" time=\"" + seconds(millis) + "\">\n" + suites + "</testsuites>\n";
    }

    private static String property(String name, String value) {
        return "<property name=\"" + name + "\" value=\"" + Xml.esc(value) + "\"/>";
    }

    /** {@code tests/test_a.py::TestX::test_y} in cp313t becomes class {@code cp313t.tests.test_a.TestX}. */
    static String classname(String variant, String id) {
        String[] parts = id.split("::");
        StringBuilder c = new StringBuilder(variant).append('.')
                .append(parts[0].replaceFirst("\\.py$", "").replace('/', '.').replace('\\', '.'));
        for (int i = 1; i < parts.length - 1; i++) {
            c.append('.').append(parts[i]);
        }
        return c.toString();
    }

    static String name(String id) {
        String[] parts = id.split("::");
        return parts[parts.length - 1];
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }
}
