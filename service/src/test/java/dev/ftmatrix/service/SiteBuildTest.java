package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteBuildTest {
    @TempDir
    Path dir;

    @Test
    void renderingAgainRewritesOnlyThePagesOfProjectsWithNewResults() throws Exception {
        Path site = dir.resolve("site");
        try (ResultStore store = new ResultStore(dir.resolve("results"))) {
            for (String p : new String[] {"alpha", "beta", "gamma"}) {
                store.put(ResultStoreTest.result(p, "2026-11-01T10:00:00Z", "git:1", Verdict.FT_FAILURES));
            }
            assertEquals(new SiteBuild.Outcome(3, 3), SiteBuild.render(store, "t", null, site));
            FileTime before = Files.getLastModifiedTime(site.resolve("projects/beta.html"));
            String alphaBefore = Files.readString(site.resolve("projects/alpha.html"));
            Thread.sleep(20);

            assertEquals(new SiteBuild.Outcome(3, 0), SiteBuild.render(store, "t", null, site),
                    "nothing new: no project page written");
            store.put(ResultStoreTest.result("alpha", "2026-11-02T10:00:00Z", "git:2", Verdict.READY));
            assertEquals(new SiteBuild.Outcome(3, 1), SiteBuild.render(store, "t", null, site));
            assertEquals(before, Files.getLastModifiedTime(site.resolve("projects/beta.html")));
            assertFalse(Files.readString(site.resolve("projects/alpha.html")).equals(alphaBefore));
            String feed = Files.readString(site.resolve("feed.json"));
            assertTrue(feed.contains("alpha") && feed.contains("newly-ready"), feed);
            String matrix = Files.readString(site.resolve("api/v1/matrix.json"));
            assertTrue(matrix.contains("\"beta\"") && matrix.contains("\"gamma\""), "unchanged projects stay listed");

            assertEquals(new SiteBuild.Outcome(3, 3), SiteBuild.render(store, "another title", null, site),
                    "another title is on every page: all rendered again");
        }
    }

    @Test
    void aProjectsLatestResultJoinsItsVariantsStoredByOneJobEach() throws Exception {
        Path site = dir.resolve("site");
        try (ResultStore store = new ResultStore(dir.resolve("results"))) {
            store.put(ScaleBench.result("alpha", "cp313", 3, Verdict.READY));
            store.put(ScaleBench.result("alpha", "cp313t", 3, Verdict.FT_FAILURES));
            assertEquals(java.util.Set.of("cp313", "cp313t"), store.latest("alpha").orElseThrow().variants().keySet());
            SiteBuild.render(store, "t", null, site);
            String api = Files.readString(site.resolve("api/v1/matrix.json"));
            assertTrue(api.contains("\"cp313\":\"ready\"") && api.contains("\"cp313t\":\"ft-failures\""), api);
            // rendered again with another project new: alpha's variants are joined again from the manifest
            store.put(ScaleBench.result("beta", "cp313", 3, Verdict.READY));
            assertEquals(new SiteBuild.Outcome(2, 1), SiteBuild.render(store, "t", null, site));
            String again = Files.readString(site.resolve("api/v1/matrix.json"));
            assertTrue(again.contains("\"cp313\":\"ready\"") && again.contains("\"cp313t\":\"ft-failures\"")
                    && again.contains("\"beta\""), again);
        }
    }
}
