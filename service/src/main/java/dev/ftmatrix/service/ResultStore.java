package dev.ftmatrix.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ftmatrix.core.CheckResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Results on disk, written as each project finishes (atomically) so an interrupted run keeps what it finished:
 * {@code latest/<project>.json} and every result ever in {@code history/<project>/}.
 */
final class ResultStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path dir;

    ResultStore(Path dir) {
        this.dir = dir;
    }

    void put(CheckResult r) {
        try {
            String stamp = r.finishedAt().replace(':', '-');
            write(dir.resolve("history").resolve(r.project()).resolve(stamp + ".json"), r);
            write(dir.resolve("latest").resolve(r.project() + ".json"), r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the result of " + r.project() + " in " + dir, e);
        }
    }

    Optional<CheckResult> latest(String project) {
        Path p = dir.resolve("latest").resolve(project + ".json");
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(p.toFile(), CheckResult.class));
        } catch (IOException e) {
            return Optional.empty();   // an unreadable result is redone, not trusted
        }
    }

    List<CheckResult> allLatest() {
        List<CheckResult> out = new ArrayList<>();
        Path latest = dir.resolve("latest");
        if (!Files.isDirectory(latest)) {
            return out;
        }
        try (Stream<Path> s = Files.list(latest)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                latest(p.getFileName().toString().replaceFirst("\\.json$", "")).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void write(Path target, CheckResult r) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".result", ".tmp");
        JSON.writeValue(tmp.toFile(), r);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
