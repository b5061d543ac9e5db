package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.CheckResult;
import dev.ftmatrix.core.ProjectSpec;
import dev.ftmatrix.core.Variant;
import dev.ftmatrix.dashboard.LiveProgress;
import dev.ftmatrix.dashboard.SiteServer;
import dev.ftmatrix.toolchain.Toolchains;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

/**
 * The demo end to end: the three fixture extensions run for real (cp313 and cp313t toolchains), their results go
 * to the SQLite store, the site is rendered from it and served as {@code ftm serve} does, and headless Chromium
 * shows what a person would see.
 */
@Tag("slow")
class DemoSiteInBrowserTest {
    private static final Path ROOT = Path.of(System.getProperty("ftm.projectRoot", "..")).toAbsolutePath();
    private static final Path SHOTS = Path.of("target", "browser");

    @TempDir
    Path tmp;

    @Test
    void realResultsOfTheFixturesShowUpInTheBrowser() throws Exception {
        List<Variant> variants = List.of(Variant.parse("cp313"), Variant.parse("cp313t"));
        List<ProjectSpec> specs = List.of("ft-ready", "ft-undeclared", "ft-racy").stream()
                .map(f -> new ProjectSpec(f, "path:" + ROOT.resolve("fixtures").resolve(f), "", "", variants, Map.of(), List.of()))
                .toList();
        Path results = tmp.resolve("results"), site = tmp.resolve("site");
        Map<String, CheckResult> stored = new java.util.HashMap<>();
        ConsoleProgress progress = new ConsoleProgress(System.err);
        try (ResultStore store = new ResultStore(results)) {
            Path cache = Toolchains.defaultCacheRoot();
            ToolchainResolver resolver = new ToolchainResolver(new Toolchains(cache, progress), List.of(), true, progress);
            Pipeline pipeline = new Pipeline(cache, tmp.resolve("work"), resolver, Duration.ofSeconds(120), progress);
            List<CheckResult> out = new MatrixRunner(pipeline, store, progress, false)
                    .run(new MatrixFile("demo", specs), UnaryOperator.identity());
            assertEquals(3, out.size());
            out.forEach(r -> stored.put(r.project(), r));
            new SiteCommand.Selection("demo", null).render(store, site);
        }
        Files.createDirectories(SHOTS);
        WebDriver browser = Chromium.start(tmp.resolve("profile"));
        try (SiteServer server = SiteServer.start(site, new InetSocketAddress("127.0.0.1", 0), new LiveProgress())) {
            browser.get(server.uri().resolve("index.html").toString());
            assertEquals("ready", cell(browser, "ft-ready", 2));
            assertEquals("works-undeclared", cell(browser, "ft-undeclared", 2));
            assertEquals("ready", cell(browser, "ft-racy", 1), "with the GIL the racy counter is fine");
            // the race shows on most runs but not all (a loaded machine may serialise the threads): the page must
            // show whatever verdict the run stored
            String racy = stored.get("ft-racy").variants().get("cp313t").verdict().word();
            assertEquals(racy, cell(browser, "ft-racy", 2));
            shot(browser, "demo-index.png");

            new Select(browser.findElement(By.id("verdict"))).selectByVisibleText("works-undeclared");
            new Select(browser.findElement(By.id("variant"))).selectByVisibleText("cp313t");
            List<WebElement> shown = browser.findElements(By.cssSelector("#matrix tbody tr")).stream()
                    .filter(WebElement::isDisplayed).toList();
            assertEquals(List.of("ft-undeclared"), shown.stream().map(r -> r.findElement(By.tagName("th")).getText()).toList());
            new Select(browser.findElement(By.id("verdict"))).selectByVisibleText("any");
            browser.findElement(By.id("q")).sendKeys("racy");
            browser.findElement(By.linkText("ft-racy")).click();
            assertEquals("ft-racy", browser.findElement(By.tagName("h1")).getText());
            String reason = browser.findElement(By.cssSelector("#cp313t p")).getText();
            assertEquals(stored.get("ft-racy").variants().get("cp313t").verdictReason(), reason);
            List<WebElement> tests = browser.findElements(By.cssSelector("#cp313t table.tests tbody tr"));
            assertEquals(3, tests.size(), "the racy fixture has three tests");
            assertTrue(tests.stream().anyMatch(t -> t.getText().startsWith("tests/test_ftracy.py::test_counter_from_many_threads")));
            if (racy.equals("ft-failures")) {
                WebElement details = browser.findElement(By.cssSelector("#cp313t table.tests details"));
                details.findElement(By.tagName("summary")).click();
                assertTrue(details.findElement(By.tagName("pre")).getText().contains("test_counter_from_many_threads"));
            }
            shot(browser, "demo-ft-racy.png");
        } finally {
            browser.quit();
        }
    }

    private static String cell(WebDriver browser, String project, int column) {
        WebElement row = browser.findElement(By.xpath("//table[@id='matrix']//tr[th/a[text()='" + project + "']]"));
        return row.findElements(By.xpath("./*")).get(column).getText();
    }

    private static void shot(WebDriver browser, String name) throws java.io.IOException {
        Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, SHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Debian's chromium under chromedriver, headless, with a fresh profile; scripts/setup-host.sh installs both. */
    static final class Chromium {
        static WebDriver start(Path profile) throws java.io.IOException {
            Path chromium = Path.of(System.getProperty("ftm.chromium", "/usr/bin/chromium"));
            Path driver = Path.of(System.getProperty("ftm.chromedriver", "/usr/bin/chromedriver"));
            assertTrue(Files.isExecutable(chromium) && Files.isExecutable(driver), "the browser test needs " + chromium
                    + " and " + driver + ": run scripts/setup-host.sh (apt-get install chromium chromium-driver)");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(chromium.toFile());
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,1000",
                    "--user-data-dir=" + Files.createDirectories(profile));
            return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                    .usingAnyFreePort().build(), options);
        }
    }
}
