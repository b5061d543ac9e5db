package dev.ftmatrix.builder.sandbox;

import dev.ftmatrix.support.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The host's Rust toolchain (rustup's {@code cargo} and its toolchains), for Rust extension projects: its crates
 * are fetched in the resolve phase, and the offline build sees the toolchain read-only at the same paths.
 */
public record RustToolchain(Path cargoBin, Path rustupHome) {
    /** Finds {@code cargo} in {@code $CARGO_HOME/bin}, {@code ~/.cargo/bin} or on the PATH. */
    public static Optional<RustToolchain> find() {
        Path home = Path.of(System.getProperty("user.home"));
        List<Path> candidates = new ArrayList<>();
        String cargoHome = System.getenv("CARGO_HOME");
        if (cargoHome != null) {
            candidates.add(Path.of(cargoHome, "bin"));
        }
        candidates.add(home.resolve(".cargo/bin"));
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty()) {
                candidates.add(Path.of(d));
            }
        }
        String rh = System.getenv("RUSTUP_HOME");
        Path rustup = rh != null ? Path.of(rh) : home.resolve(".rustup");
        return candidates.stream().filter(d -> Files.isExecutable(d.resolve("cargo"))).findFirst()
                .map(d -> new RustToolchain(d, rustup));
    }

    /** What a sandbox must see read-only. */
    public List<Path> mounts() {
        return Files.isDirectory(rustupHome) ? List.of(cargoBin, rustupHome) : List.of(cargoBin);
    }

    /** The build's environment: crates from {@code cargoHome} only, never the network. */
    public Map<String, String> env(Path cargoHome) {
        return Map.of("CARGO_HOME", cargoHome.toString(), "RUSTUP_HOME", rustupHome.toString(),
                "CARGO_NET_OFFLINE", "true", "PATH", cargoBin + ":/usr/local/bin:/usr/bin:/bin");
    }

    /** The resolve phase, with network: {@code cargo fetch} of the project's crates into {@code cargoHome}. */
    public Processes.Run fetch(Path project, Path cargoHome, Path log, Duration deadline) {
        return Processes.run(List.of(cargoBin.resolve("cargo").toString(), "fetch"), project,
                Map.of("CARGO_HOME", cargoHome.toString(), "RUSTUP_HOME", rustupHome.toString()), log, l -> { }, deadline);
    }
}
