package dev.ftmatrix.testrunner.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The child's log of what it did, one JSON object a line, each written through at once: when the child dies, the
 * parent still knows which step it was in. Events: {@code probe}, {@code collected}, {@code plan}, {@code start},
 * {@code result}, {@code done}.
 */
public final class Events implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private final OutputStream out;

    private Events(OutputStream out) {
        this.out = out;
    }

    public static Events appendTo(Path file) {
        try {
            return new Events(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode event(String kind) {
        return JSON.createObjectNode().put("ev", kind);
    }

    public static ObjectNode step(String kind, Step s) {
        return event(kind).put("phase", s.phase()).put("id", s.id()).put("iteration", s.iteration());
    }

    public synchronized void write(JsonNode event) {
        try {
            out.write((JSON.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads an event file; a last line cut short by a crash ends it. */
    public static List<JsonNode> read(Path file) {
        List<JsonNode> events = new ArrayList<>();
        if (!Files.exists(file)) {
            return events;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                try {
                    events.add(JSON.readTree(line));
                } catch (IOException e) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    /** Parses one JSON text that the driver returned. */
    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("the driver returned no JSON: " + json, e);
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Step stepOf(JsonNode ev) {
        return new Step(ev.get("phase").asText(), ev.get("id").asText(), ev.get("iteration").asInt());
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
