package dev.ftmatrix.builder.patches;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.builder.BindingLayer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The binding layers ftm knows, read from the bundled {@code binding-layers.json}. */
public final class KnownLayers {
    private static final String RESOURCE = "/dev/ftmatrix/builder/patches/binding-layers.json";

    private KnownLayers() {
    }

    public static List<BindingLayer> all() {
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = KnownLayers.class.getResourceAsStream(RESOURCE)) {
            JsonNode root = json.readTree(in);
            if (root.path("schema").asInt() != 1) {
                throw new IllegalStateException(RESOURCE + ": unknown schema " + root.path("schema"));
            }
            List<BindingLayer> out = new ArrayList<>();
            for (JsonNode l : root.get("layers")) {
                Map<String, String> hatch = l.has("escapeHatchEnv")
                        ? json.convertValue(l.get("escapeHatchEnv"), json.getTypeFactory().constructMapType(Map.class, String.class, String.class))
                        : Map.of();
                out.add(new BindingLayer(l.get("name").asText(), l.get("package").asText(), l.get("kind").asText(),
                        l.get("minFreeThreaded").asText(), l.get("upgradeTo").asText(), l.path("vendoredMarker").asText(""),
                        crates(l), hatch, l.path("minPython").asText(""), l.get("advice").asText()));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + RESOURCE, e);
        }
    }

    private static List<String> crates(JsonNode l) {
        List<String> out = new ArrayList<>();
        l.path("crates").forEach(c -> out.add(c.asText()));
        return out;
    }

    public static Optional<BindingLayer> named(String name) {
        return all().stream().filter(l -> l.name().equals(name)).findFirst();
    }
}
