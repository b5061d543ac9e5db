package dev.ftmatrix.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a rendered site over HTTP (the JDK's server, no dependencies) and, under {@code live/}, the progress of a
 * running matrix. Only files inside the site directory are served.
 */
public final class SiteServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SiteServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "json", "application/json", "svg", "image/svg+xml", "atom", "application/atom+xml",
            "png", "image/png", "txt", "text/plain; charset=utf-8");
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Path root;
    private final LiveProgress live;

    private SiteServer(Path root, InetSocketAddress address, LiveProgress live) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.live = live;
        this.server = HttpServer.create(address, 0);
        server.createContext("/", this::serveFile);
        server.createContext("/live/", this::serveLive);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts serving {@code root} on {@code address} (port 0 picks a free port). */
    public static SiteServer start(Path root, InetSocketAddress address, LiveProgress live) {
        try {
            return new SiteServer(root, address, live);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    /** {@code http://127.0.0.1:PORT/}. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    private void serveFile(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                send(ex, 405, "text/plain", "only GET and HEAD\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            Path file = inside(ex.getRequestURI().getRawPath());
            if (file == null) {
                send(ex, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String name = file.getFileName().toString();
            String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            send(ex, 200, TYPES.getOrDefault(ext, "application/octet-stream"), Files.readAllBytes(file));
        } catch (IOException | RuntimeException e) {
            LOG.warn("serving {} failed", ex.getRequestURI(), e);
            throw e;
        }
    }

    /**
     * The regular file a request path names inside the site, or null: a path that does not decode, holds a NUL,
     * leaves the site, or reaches a file through a symbolic link to outside it names nothing.
     */
    private Path inside(String rawPath) throws IOException {
        String path;
        try {
            path = URLDecoder.decode(rawPath, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;   // a malformed %-escape
        }
        if (path.indexOf('\0') >= 0) {
            return null;
        }
        Path file;
        try {
            file = root.resolve(path.replaceFirst("^/+", "")).normalize();
        } catch (InvalidPathException e) {
            return null;
        }
        if (!file.startsWith(root)) {
            return null;
        }
        if (Files.isDirectory(file)) {
            file = file.resolve("index.html");
        }
        if (!Files.isRegularFile(file)) {
            return null;
        }
        // the site is ours to serve, not what its links point at
        return file.toRealPath().startsWith(root.toRealPath()) ? file : null;
    }

    private void serveLive(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/live/progress.json")) {
                send(ex, 200, "application/json", JSON.writeValueAsBytes(live.snapshot()));
            } else if (path.equals("/live/") || path.equals("/live/index.html")) {
                try (InputStream in = SiteServer.class.getResourceAsStream("live.html")) {
                    send(ex, 200, TYPES.get("html"), in.readAllBytes());
                }
            } else {
                send(ex, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
