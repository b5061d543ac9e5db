package dev.ftmatrix.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.core.Progress;
import dev.ftmatrix.core.Toolchain;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.support.Processes;
import dev.ftmatrix.toolchain.Toolchains;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one import probe: per module in fresh interpreters, and the harness's probe(names) in the interpreter at hand. */
class ImportProbeTest {
    @TempDir
    Path tmp;

    @Tag("slow")
    @Test
    void freshInterpretersTellEachModuleAndTheWholeFromThem() throws Exception {
        for (String v : List.of("cp313t", "cp313")) {
            Toolchain tc = new Toolchains(Toolchains.defaultCacheRoot(), Progress.NONE).install(Variant.parse(v), "debian");
            Path work = tmp.resolve(v);
            Files.createDirectories(work);
            ImportProbe.Outcome o = ImportProbe.run(tc.prefix().resolve("bin/python3"),
                    List.of("json", "_decimal", "ftm_no_such_module"), work, (argv, env, deadline) ->
                            Processes.run(argv, work, env, work.resolve("log.txt"), l -> { }, deadline));
            assertEquals("", o.unfinished(), v);
            assertEquals(List.of("json", "_decimal", "ftm_no_such_module"),
                    o.imports().stream().map(ModuleImport::module).toList());
            assertTrue(o.imports().get(0).imported() && o.imports().get(1).imported(), o.toString());
            assertEquals(List.of("ftm_no_such_module"), List.copyOf(o.errors().keySet()));
            assertTrue(o.errors().get("ftm_no_such_module").startsWith("ModuleNotFoundError: "), o.toString());
            // the free-threaded build keeps the GIL off for the standard library; the GIL build always has it on
            assertEquals(v.equals("cp313"), o.gilEnabledAfter(), v);
            assertEquals("", o.reenabledBy());

            // the harness's entry point: the same script, the modules imported in the interpreter that runs it
            Processes.Run r = Processes.run(List.of(tc.prefix().resolve("bin/python3").toString(),
                    ImportProbe.script(work).toString(), "json", "ftm_no_such_module"), work, Map.of(),
                    work.resolve("log.txt"), l -> { }, Duration.ofMinutes(1));
            String line = r.output().lines().filter(l -> l.startsWith("FTM-IMPORT ")).findFirst().orElseThrow();
            JsonNode j = new ObjectMapper().readTree(line.substring("FTM-IMPORT ".length()));
            assertEquals("[\"json\"]", j.get("imported").toString());
            assertEquals("ModuleNotFoundError: No module named 'ftm_no_such_module'",
                    j.get("errors").get("ftm_no_such_module").asText());
            assertEquals(v.equals("cp313"), j.get("gilEnabledAfter").asBoolean(), line);
        }
    }

    @Test
    void anImportTheInterpreterDidNotSurviveLeavesTheGilUnmeasured() {
        ImportProbe.Outcome o = new ImportProbe.Outcome(List.of(
                new ModuleImport("ok", true, "", false, List.of(), ""),
                new ModuleImport("crashes", false, "the interpreter ended with signal 11", null, List.of(), "")), "");
        assertEquals("importing crashes: the interpreter ended with signal 11", o.unfinished());
        assertNull(o.gilEnabledAfter());
    }

    @Test
    void theModuleCPythonNamedIsTheOneThatReEnabledTheGil() {
        String warning = "The global interpreter lock (GIL) has been enabled to load module 'ftundeclared', which has"
                + " not declared that it can run safely without the GIL.";
        ImportProbe.Outcome o = new ImportProbe.Outcome(List.of(
                new ModuleImport("ftready", true, "", false, List.of(), ""),
                new ModuleImport("ftundeclared", true, "", true, List.of("ftundeclared"), warning)), "");
        assertEquals("", o.unfinished());
        assertEquals(Boolean.TRUE, o.gilEnabledAfter());
        assertEquals("ftundeclared", o.reenabledBy());
        assertTrue(o.errors().isEmpty());
    }
}
