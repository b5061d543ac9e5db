package dev.ftmatrix.service;

import dev.ftmatrix.core.ProjectSpec;
import dev.ftmatrix.dashboard.PublishedWheels;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ftm site}: renders the result store to the static site (matrix, project pages, chart, feed, API, badges). */
@Command(name = "site", mixinStandardHelpOptions = true,
        description = "Render the stored results (with their history) to a static site; see dashboard/API.md.")
final class SiteCommand implements Callable<Integer> {
    @Option(names = "--results", defaultValue = "build/results", paramLabel = "DIR",
            description = "the result store of `ftm run`/`ftm demo`. Default: ${DEFAULT-VALUE}")
    Path results;

    @Option(names = "--store", paramLabel = "URL", description = StoreLocation.HELP + " (instead of --results)")
    String store;

    @Option(names = "--out", defaultValue = "build/site", paramLabel = "DIR", description = "Default: ${DEFAULT-VALUE}")
    Path out;

    @Option(names = "--matrix", paramLabel = "FILE",
            description = "show only this matrix file's projects, under its name")
    Path matrix;

    @Option(names = "--name", description = "the site's title (default: the matrix's name, else 'ftmatrix')")
    String name;

    @Override
    public Integer call() {
        OutputPaths.directory("--out", out);
        Selection selection = Selection.of(matrix, name);
        int projects;
        try (ResultStore store = ResultStore.open(StoreLocation.parse(this.store, results), true)) {
            projects = selection.render(store, out);
        }
        System.out.println("site: " + out.toAbsolutePath().resolve("index.html") + " (" + projects + " projects)");
        return Ftm.OK;
    }

    /** Opens an existing store read-only, or says how to make one. */
    static ResultStore open(Path results) {
        return ResultStore.readOnly(results);
    }

    /** Which projects a site shows and under which title. */
    record Selection(String title, Set<String> projects) {
        static Selection of(Path matrix, String name) {
            if (matrix == null) {
                return new Selection(name != null ? name : "ftmatrix", null);
            }
            MatrixFile m = MatrixFile.load(matrix);
            return new Selection(name != null ? name : m.name(),
                    m.projects().stream().map(ProjectSpec::name).collect(Collectors.toSet()));
        }

        /** Renders the store's results and header deltas to {@code site}; returns how many projects it shows. */
        int render(ResultStore store, Path site) {
            List<PublishedWheels> wheels = WheelSite.read(store.location(), projects);
            int shown = SiteBuild.render(store, title, projects, site, !wheels.isEmpty()).projects();
            WheelSite.render(title, wheels, site);
            return shown;
        }
    }
}
