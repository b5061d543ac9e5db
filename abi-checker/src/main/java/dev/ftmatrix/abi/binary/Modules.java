package dev.ftmatrix.abi.binary;

import dev.ftmatrix.abi.RuleInfo;
import dev.ftmatrix.abi.headers.ElfSymbols;
import dev.ftmatrix.core.Finding;
import dev.ftmatrix.core.Variant;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Checks one extension module's file name and dynamic symbols against one build. */
public final class Modules {
    public static final String SUFFIX = "module-suffix";
    public static final String UNDEFINED = "undefined-symbol";
    public static final String OTHER_BUILD = "built-for-other-build";
    static final String WHEEL_TAG = "wheel-tag";
    static final String WHEEL_METADATA = "wheel-metadata";

    private final Variant variant;
    private final List<String> suffixes;
    private final Set<String> exports;
    private final Set<String> otherOnly;

    /**
     * @param suffixes the file suffixes the interpreter imports ({@code importlib.machinery.EXTENSION_SUFFIXES})
     * @param exports what the build's libpython exports
     * @param otherOnly what only the other build's libpython exports (empty: unknown)
     */
    public Modules(Variant variant, List<String> suffixes, Set<String> exports, Set<String> otherOnly) {
        this.variant = variant;
        this.suffixes = List.copyOf(suffixes);
        this.exports = exports;
        this.otherOnly = otherOnly;
    }

    public static List<RuleInfo> rules() {
        return List.of(
                new RuleInfo(SUFFIX, "extension module whose file suffix the interpreter does not import",
                        Finding.Severity.ERROR),
                new RuleInfo(UNDEFINED, "extension module importing C-API symbols the build's libpython lacks",
                        Finding.Severity.ERROR),
                new RuleInfo(OTHER_BUILD, "extension module built against the other build's headers",
                        Finding.Severity.ERROR),
                new RuleInfo(WHEEL_TAG, "wheel whose tags do not fit the build or its modules",
                        Finding.Severity.ERROR),
                new RuleInfo(WHEEL_METADATA, "wheel whose WHEEL/METADATA disagree with its file name",
                        Finding.Severity.ERROR));
    }

    /** Whether {@code fileName} looks like an extension module. */
    public static boolean isModule(String fileName) {
        return ModuleName.of(fileName) != null;
    }

    /** Findings for the module {@code fileName} whose bytes are {@code image}, shown as {@code shown}. */
    public List<Finding> check(String fileName, byte[] image, String shown) {
        List<Finding> out = new ArrayList<>();
        ModuleName name = ModuleName.of(fileName);
        if (name == null) {
            return out;
        }
        // the importer looks for exactly <module><suffix>: "demo.cpython-313t-x86_64-linux-gnu.so" ends with ".so"
        // but is not "demo.so"
        if (suffixes.stream().noneMatch(s -> fileName.equals(name.module() + s))) {
            String builtFor = name.tag().equals("abi3") ? "the stable ABI (abi3)"
                    : name.tag().isEmpty() ? "no particular build" : name.tag();
            out.add(new Finding(SUFFIX, Finding.Severity.ERROR, shown, 0, 0, fileName,
                    fileName + " is named for " + builtFor + ", but " + variant + " imports extension modules only with"
                            + " the suffixes " + suffixes + ", so 'import " + name.module() + "' does not find it",
                    "build the module with the " + variant + " interpreter (its own headers and EXT_SUFFIX "
                            + suffixes.getFirst() + ")"));
        }
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        if (image.length < 4 || b.getInt(0) != 0x464c457f) {
            return out; // not ELF (a Windows .pyd, a macOS Mach-O): no symbol checks
        }
        ElfSymbols.Table t;
        try {
            t = ElfSymbols.read(ByteBuffer.wrap(image), shown);
        } catch (IllegalArgumentException e) {
            out.add(new Finding(UNDEFINED, Finding.Severity.WARNING, shown, 0, 0, fileName,
                    "its dynamic symbols cannot be read: " + e.getMessage(), "rebuild the module; the file looks damaged"));
            return out;
        }
        Set<String> missing = new TreeSet<>();
        Set<String> foreign = new TreeSet<>();
        for (String s : t.imported()) {
            if (otherOnly.contains(s)) {
                foreign.add(s);
            } else if ((s.startsWith("Py") || s.startsWith("_Py")) && !exports.contains(s)) {
                missing.add(s);
            }
        }
        if (!foreign.isEmpty()) {
            String other = variant.freeThreaded() ? variant.withGil().id() : variant.id() + "t";
            out.add(new Finding(OTHER_BUILD, Finding.Severity.ERROR, shown, 0, 0, String.join(" ", foreign),
                    fileName + " was compiled against the " + other + " headers: it calls " + foreign + ", which only the "
                            + other + " libpython exports, so importing it into " + variant + " fails",
                    "rebuild it with the " + variant + " interpreter's headers (pip wheel with that interpreter)"));
        }
        if (!missing.isEmpty()) {
            out.add(new Finding(UNDEFINED, Finding.Severity.ERROR, shown, 0, 0, String.join(" ", missing),
                    fileName + " needs " + missing + " from libpython, which " + variant + " does not export: importing it"
                            + " fails with 'undefined symbol'",
                    "rebuild against " + variant + "; private or removed C-API functions need their public replacement"));
        }
        return out;
    }

    Variant variant() {
        return variant;
    }
}
