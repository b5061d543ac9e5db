package dev.ftmatrix.abi.binary;

import dev.ftmatrix.core.Finding;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.core.WheelFilename;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Checks a wheel, read with Commons Compress: its file name's tags fit the build, WHEEL's {@code Tag:} lines and
 * METADATA's name and version agree with the file name, and each extension module inside passes {@link Modules}.
 */
public final class Wheels {
    /** Modules larger than this are not read for symbols (a wheel is untrusted input). */
    private static final long MAX_MODULE = 256L << 20;

    private final Modules modules;
    private final Variant variant;

    public Wheels(Modules modules, Variant variant) {
        this.modules = modules;
        this.variant = variant;
    }

    public List<Finding> check(Path wheel, String shown) {
        List<Finding> out = new ArrayList<>();
        String fileName = wheel.getFileName().toString();
        WheelFilename name = WheelFilename.parse(fileName).orElse(null);
        if (name == null) {
            out.add(new Finding(Modules.WHEEL_TAG, Finding.Severity.ERROR, shown, 0, 0, fileName,
                    fileName + " is not a wheel file name (dist-version-python-abi-platform.whl, PEP 427)",
                    "build it with pip wheel or python -m build"));
            return out;
        }
        Map<String, String> wheelFile = new LinkedHashMap<>();
        Set<String> wheelTags = new LinkedHashSet<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        List<String> moduleNames = new ArrayList<>();
        try (ZipFile zip = ZipFile.builder().setPath(wheel).get()) {
            for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
                String entry = e.getName();
                String base = entry.substring(entry.lastIndexOf('/') + 1);
                if (entry.matches("[^/]+\\.dist-info/WHEEL")) {
                    for (String line : read(zip, e).split("\n")) {
                        int colon = line.indexOf(':');
                        if (colon > 0) {
                            String k = line.substring(0, colon).strip();
                            String v = line.substring(colon + 1).strip();
                            if (k.equals("Tag")) {
                                wheelTags.add(v);
                            } else {
                                wheelFile.put(k, v);
                            }
                        }
                    }
                } else if (entry.matches("[^/]+\\.dist-info/METADATA")) {
                    for (String line : read(zip, e).split("\n")) {
                        if (line.isBlank()) {
                            break; // the body (long description) starts here
                        }
                        int colon = line.indexOf(':');
                        if (colon > 0) {
                            metadata.putIfAbsent(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
                        }
                    }
                } else if (Modules.isModule(base) && !e.isDirectory()) {
                    moduleNames.add(entry);
                    if (e.getSize() <= MAX_MODULE) {
                        try (InputStream in = zip.getInputStream(e)) {
                            out.addAll(modules.check(base, in.readNBytes((int) MAX_MODULE), shown + "!/" + entry));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read wheel " + wheel + ": " + e.getMessage(), e);
        }
        Set<String> abis = new LinkedHashSet<>();
        Set<String> tags = new LinkedHashSet<>();
        name.tags().forEach(t -> {
            abis.add(t.abi());
            tags.add(t.python() + "-" + t.abi() + "-" + t.platform());
        });
        String abi = variant.id();
        if (!moduleNames.isEmpty() && !abis.contains(abi)) {
            out.add(new Finding(Modules.WHEEL_TAG, Finding.Severity.ERROR, shown, 0, 0, String.join(".", abis),
                    fileName + " holds extension modules but its ABI tag is " + abis + ", not " + abi
                            + ": installers will not choose it for " + variant
                            + (abis.contains("abi3") ? " (free-threaded CPython has no stable ABI)" : ""),
                    "build a " + abi + " wheel with the " + variant + " interpreter (cibuildwheel: enable " + abi + ")"));
        }
        if (!wheelTags.isEmpty() && !wheelTags.equals(tags)) {
            out.add(new Finding(Modules.WHEEL_METADATA, Finding.Severity.ERROR, shown, 0, 0, String.join(" ", wheelTags),
                    "WHEEL says Tag: " + wheelTags + " but the file name says " + tags,
                    "do not rename wheels by hand; use 'wheel tags' (or rebuild) so WHEEL and the name agree"));
        }
        if (!moduleNames.isEmpty() && "true".equalsIgnoreCase(wheelFile.get("Root-Is-Purelib"))) {
            out.add(new Finding(Modules.WHEEL_METADATA, Finding.Severity.WARNING, shown, 0, 0, "Root-Is-Purelib: true",
                    "the wheel holds extension modules " + moduleNames + " but WHEEL declares Root-Is-Purelib: true",
                    "let the build backend write WHEEL; a wheel with binaries is platlib"));
        }
        String metaName = metadata.get("Name");
        if (metaName != null && !normalize(metaName).equals(normalize(name.distribution()))) {
            out.add(new Finding(Modules.WHEEL_METADATA, Finding.Severity.ERROR, shown, 0, 0, metaName,
                    "METADATA's Name is " + metaName + " but the file name says " + name.distribution(),
                    "rebuild the wheel rather than renaming it"));
        }
        String metaVersion = metadata.get("Version");
        if (metaVersion != null && !metaVersion.equals(name.version())) {
            out.add(new Finding(Modules.WHEEL_METADATA, Finding.Severity.ERROR, shown, 0, 0, metaVersion,
                    "METADATA's Version is " + metaVersion + " but the file name says " + name.version(),
                    "rebuild the wheel rather than renaming it"));
        }
        return out;
    }

    /** PEP 503 normalisation, for comparing with METADATA's Name. */
    private static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "_");
    }

    private static String read(ZipFile zip, ZipArchiveEntry e) throws IOException {
        try (InputStream in = zip.getInputStream(e)) {
            return new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8).replace("\r", "");
        }
    }
}
