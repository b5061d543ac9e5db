package dev.ftmatrix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.dashboard.LiveProgress;
import dev.ftmatrix.dashboard.SiteServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job end to end: the demo matrix from local git repositories to a site a person reads in Chromium. */
@Tag("slow")
class DemoCommandTest {
    private static final Path SHOTS = Path.of("target", "browser");

    @TempDir
    Path out;

    private JsonNode latest(String project) throws Exception {
        try (ResultStore store = new ResultStore(out.resolve("results"))) {
            return CheckCommand.JSON.valueToTree(store.latest(project).orElseThrow());
        }
    }

    @Test
    void demoMatrixGivesEachFixtureItsVerdictAndRendersTheSite() throws Exception {
        assertEquals(0, Ftm.run("demo", "--root", CheckCommandTest.ROOT.toString(), "--out", out.toString(),
                "--test-deadline", "15"));

        JsonNode ready = latest("ft-ready");
        assertTrue(ready.get("source").asText().startsWith("git+file:"), ready.get("source").asText());
        assertTrue(ready.get("fingerprint").asText().matches("git:[0-9a-f]{40}"));
        assertEquals("ready", ready.get("variants").get("cp313t").get("verdict").asText());
        assertEquals("ready", ready.get("variants").get("cp313").get("verdict").asText());

        JsonNode undeclared = latest("ft-undeclared").get("variants").get("cp313t");
        assertEquals("works-undeclared", undeclared.get("verdict").asText());
        assertEquals("ftundeclared", undeclared.get("gilReenabledBy").asText());
        assertTrue(undeclared.get("verdictReason").asText().contains("ftundeclared"));

        assertEquals("ft-failures", latest("ft-racy").get("variants").get("cp313t").get("verdict").asText());
        assertEquals("crash", latest("ft-crash").get("variants").get("cp313t").get("verdict").asText());
        assertEquals("ready", latest("ft-crash").get("variants").get("cp313").get("verdict").asText());
        assertEquals("hang", latest("ft-hang").get("variants").get("cp313t").get("verdict").asText());
        assertEquals("ready", latest("ft-hang").get("variants").get("cp313").get("verdict").asText());

        // pinned Cython < 3.1 cannot build free-threaded; the rebuild with Cython 3.1 is ready
        JsonNode pinned = latest("cython-pinned").get("variants").get("cp313t");
        assertEquals("build-failed", pinned.get("verdict").asText());
        assertTrue(pinned.get("verdictReason").asText().contains("binding-layer-too-old"), pinned.toString());
        JsonNode patched = pinned.get("patched").get(0);
        assertEquals("cython", patched.get("layer").asText());
        assertEquals("ready", patched.get("patched").asText(), patched.toString());
        assertEquals("ready", latest("cython-pinned").get("variants").get("cp313").get("verdict").asText());

        JsonNode skipped = ready.get("variants").get("cp314t");
        assertEquals("skipped", skipped.get("verdict").asText());
        assertTrue(skipped.get("verdictReason").asText().contains("--python"), skipped.toString());

        String index = Files.readString(out.resolve("site/index.html"));
        assertTrue(index.contains("works-undeclared") && index.contains("ft-failures") && index.contains("ft-racy"));
        JsonNode api = new ObjectMapper().readTree(out.resolve("site/api/v1/matrix.json").toFile());
        assertEquals(6, api.get("projects").size());
        assertTrue(Files.exists(out.resolve("site/api/v1/projects/ft-racy.json")));
        assertTrue(Files.exists(out.resolve("site/badges/ft-undeclared/cp313t.json")));

        // the header delta of the toolchains the demo used, measured for real, on its own page
        String abi = Files.readString(out.resolve("site/abi.html"));
        assertTrue(abi.contains("CPython 3.13") && abi.contains("<code>PyObject</code>"), abi);
        seenInTheBrowser(out.resolve("site"));

        // a second run finds every source unchanged and redoes nothing
        String finished = ready.get("finishedAt").asText();
        assertEquals(0, Ftm.run("demo", "--root", CheckCommandTest.ROOT.toString(), "--out", out.toString(),
                "--test-deadline", "15"));
        assertEquals(finished, latest("ft-ready").get("finishedAt").asText());
    }

    private void seenInTheBrowser(Path site) throws Exception {
        Files.createDirectories(SHOTS);
        WebDriver browser = Chromium.start(out.resolve("profile"));
        try (SiteServer server = SiteServer.start(site, new InetSocketAddress("127.0.0.1", 0), new LiveProgress())) {
            browser.get(server.uri().resolve("index.html").toString());
            assertEquals("c-api", cell(browser, "ft-ready", 1));
            assertEquals("ready", cell(browser, "ft-ready", 3));
            assertEquals("works-undeclared", cell(browser, "ft-undeclared", 3));
            assertEquals("ready", cell(browser, "ft-racy", 2), "with the GIL the racy counter is fine");
            assertEquals("ft-failures", cell(browser, "ft-racy", 3));
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
            assertTrue(browser.findElement(By.cssSelector("#cp313t p")).getText().contains("fail only without the GIL"));
            List<WebElement> tests = browser.findElements(By.cssSelector("#cp313t table.tests tbody tr"));
            assertEquals(3, tests.size(), "the racy fixture has three tests");
            WebElement details = browser.findElement(By.cssSelector("#cp313t table.tests details"));
            details.findElement(By.tagName("summary")).click();
            assertTrue(details.findElement(By.tagName("pre")).getText().contains("assert"), details.getText());
            assertTrue(browser.findElement(By.cssSelector("table.modules")).getText().contains("Py_mod_gil slot"));
            assertTrue(browser.getPageSource().contains("mutable-static"), "the abi-checker's finding is on the page");
            shot(browser, "demo-ft-racy.png");
        } finally {
            browser.quit();
        }
    }

    /** The cell of {@code project}'s row under the matrix's {@code column}-th header (0: project, 1: binding). */
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
