package dev.ftmatrix.dashboard.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The change feed ("newly ready", "regressed") as JSON (schema 1) and as Atom 1.0. */
public final class Feeds {
    /** How many changes the feeds keep, newest first. */
    public static final int LIMIT = 200;

    private Feeds() {
    }

    /** The JSON feed's document, for Jackson. */
    public static Map<String, Object> json(String matrix, List<Timeline.Change> feed, Instant updated) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", 1);
        doc.put("matrix", matrix);
        doc.put("updated", updated.toString());
        doc.put("changes", feed.stream().limit(LIMIT).map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", c.at().toString());
            m.put("project", c.project());
            m.put("variant", c.variant());
            m.put("kind", c.kind().word);
            m.put("from", c.from() == null ? null : c.from().word());
            m.put("to", c.to().word());
            m.put("page", "projects/" + Names.slug(c.project()) + ".html");
            return m;
        }).toList());
        return doc;
    }

    public static String atom(String matrix, List<Timeline.Change> feed, Instant updated) {
        StringBuilder s = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
                .append("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n")
                .append("<title>").append(Xml.esc("ftmatrix " + matrix + ": newly ready and regressed")).append("</title>\n")
                .append("<id>urn:ftmatrix:").append(Xml.esc(Names.slug(matrix))).append(":changes</id>\n")
                .append("<updated>").append(updated).append("</updated>\n")
                .append("<author><name>ftmatrix</name></author>\n")
                .append("<link rel=\"alternate\" type=\"text/html\" href=\"index.html\"/>\n");
        for (Timeline.Change c : feed.stream().limit(LIMIT).toList()) {
            String what = c.project() + " " + c.variant() + ": " + (c.kind() == Timeline.Kind.NEWLY_READY ? "newly ready"
                    : "regressed to " + c.to().word()) + (c.from() == null ? "" : " (was " + c.from().word() + ")");
            s.append("<entry><title>").append(Xml.esc(what)).append("</title>")
                    .append("<id>urn:ftmatrix:").append(Xml.esc(Names.slug(matrix) + ":" + Names.slug(c.project()) + ":"
                            + c.variant() + ":" + c.at())).append("</id>")
                    .append("<updated>").append(c.at()).append("</updated>")
                    .append("<link href=\"projects/").append(Xml.esc(Names.slug(c.project()))).append(".html\"/>")
                    .append("<summary>").append(Xml.esc(what)).append("</summary></entry>\n");
        }
        return s.append("</feed>\n").toString();
    }
}
