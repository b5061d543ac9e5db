package dev.ftmatrix.dashboard;

import static dev.ftmatrix.core.Verdict.CRASH;
import static dev.ftmatrix.core.Verdict.FT_FAILURES;
import static dev.ftmatrix.core.Verdict.READY;
import static dev.ftmatrix.core.Verdict.WORKS_UNDECLARED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ftmatrix.core.CheckResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The site as a person sees it, in Debian's headless Chromium driven by chromedriver (scripts/setup-host.sh installs
 * both): load the matrix from {@code ftm serve}'s server, filter, open a project page, read it, take screenshots.
 */
class SiteInBrowserTest {
    private static final Path SHOTS = Path.of("target", "browser");

    @TempDir
    static Path tmp;
    static SiteServer server;
    static LiveProgress live = new LiveProgress();
    static WebDriver browser;

    @BeforeAll
    static void serveSiteAndStartBrowser() throws IOException {
        List<CheckResult> results = new ArrayList<>(Results.generated(40, 11));
        CheckResult racyBefore = Results.of("ft-racy", "2026-11-20T08:00:00Z",
                Results.verdicts("cp313", READY, "cp313t", WORKS_UNDECLARED));
        CheckResult racy = Results.of("ft-racy", "2026-11-29T08:00:00Z", Results.verdicts("cp313", READY, "cp313t", FT_FAILURES));
        results.add(racy);
        results.add(Results.of("ft-ready", "2026-11-28T08:00:00Z", Results.verdicts("cp313", READY, "cp313t", READY)));
        results.add(Results.of("ft-crashy", "2026-11-27T08:00:00Z", Results.verdicts("cp313", READY, "cp313t", CRASH)));
        Path site = tmp.resolve("site");
        new SiteRenderer().render("browser-demo", results, Map.of("ft-racy", List.of(racyBefore, racy)), site);
        server = SiteServer.start(site, new InetSocketAddress("127.0.0.1", 0), live);
        Files.createDirectories(SHOTS);
        browser = HeadlessChromium.start(tmp);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    private static List<WebElement> visibleRows() {
        return browser.findElements(By.cssSelector("#matrix tbody tr")).stream().filter(WebElement::isDisplayed).toList();
    }

    private static void screenshot(String name) throws IOException {
        Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, SHOTS.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void personFiltersTheMatrixByVerdictAndReadsAProjectPage() throws IOException {
        browser.get(server.uri().resolve("index.html").toString());
        assertEquals("Free-threading readiness: browser-demo", browser.findElement(By.tagName("h1")).getText());
        WebElement caption = browser.findElement(By.cssSelector("#matrix caption"));
        assertTrue(caption.isDisplayed());
        assertEquals(43, visibleRows().size());
        assertEquals("43 of 43 projects shown", browser.findElement(By.id("shown")).getText());
        screenshot("index.png");

        new Select(browser.findElement(By.id("verdict"))).selectByVisibleText("ft-failures");
        new Select(browser.findElement(By.id("variant"))).selectByVisibleText("cp313t");
        List<WebElement> rows = visibleRows();
        assertFalse(rows.isEmpty());
        assertTrue(rows.size() < 43, "the filter hides rows");
        for (WebElement row : rows) {
            assertEquals("ft-failures", row.findElements(By.tagName("td")).get(2).getText(),
                    "every row left shows ft-failures under cp313t: " + row.getText());
        }
        assertEquals(rows.size() + " of 43 projects shown", browser.findElement(By.id("shown")).getText());
        browser.findElement(By.id("q")).sendKeys("racy");
        rows = visibleRows();
        assertEquals(1, rows.size());
        assertEquals("ft-racy", rows.getFirst().findElement(By.tagName("th")).getText());
        screenshot("index-filtered.png");
        browser.findElement(By.id("q")).clear();
        browser.findElement(By.id("q")).sendKeys("\u0008");   // clear() sends no input event
        new Select(browser.findElement(By.id("verdict"))).selectByVisibleText("any");
        new Select(browser.findElement(By.id("binding"))).selectByVisibleText("cython");
        rows = visibleRows();
        assertFalse(rows.isEmpty());
        assertTrue(rows.size() < 43, "the binding filter hides the C-API projects");
        for (WebElement row : rows) {
            assertEquals("cython", row.findElements(By.tagName("td")).get(0).getText(), row.getText());
        }
        new Select(browser.findElement(By.id("binding"))).selectByVisibleText("any");
        browser.findElement(By.id("q")).sendKeys("racy");
        rows = visibleRows();
        assertEquals(1, rows.size());

        rows.getFirst().findElement(By.linkText("ft-racy")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().endsWith("projects/ft-racy.html"));
        assertEquals("ft-racy", browser.findElement(By.tagName("h1")).getText());
        WebElement verdictCell = browser.findElement(By.cssSelector("table.verdicts tbody tr:nth-child(2) td"));
        assertEquals("ft-failures", verdictCell.getText());
        WebElement traceback = browser.findElement(By.cssSelector("#cp313t table.tests details"));
        WebElement pre = traceback.findElement(By.tagName("pre"));
        assertFalse(pre.isDisplayed(), "tracebacks start collapsed");
        traceback.findElement(By.tagName("summary")).click();
        assertTrue(pre.isDisplayed());
        assertTrue(pre.getText().contains("AssertionError: assert 39712 == 40000"), pre.getText());
        List<WebElement> history = browser.findElements(By.cssSelector("table.history tbody tr"));
        assertEquals(2, history.size());
        assertTrue(history.get(1).getText().contains("works-undeclared"), history.get(1).getText());
        screenshot("project.png");
        assertTrue(Files.size(SHOTS.resolve("project.png")) > 1000);
    }

    @Test
    void sortingByRecentlyChangedPutsTheLatestChangeFirst() {
        browser.get(server.uri().resolve("index.html").toString());
        new Select(browser.findElement(By.id("sort"))).selectByValue("changed");
        assertEquals("ft-racy", visibleRows().getFirst().findElement(By.tagName("th")).getText());
        new Select(browser.findElement(By.id("sort"))).selectByValue("name");
        assertEquals("ft-crashy", visibleRows().getFirst().findElement(By.tagName("th")).getText());
    }

    @Test
    void chartAndBadgesLoadAsImages() {
        browser.get(server.uri().resolve("projects/ft-ready.html").toString());
        for (WebElement img : browser.findElements(By.cssSelector("dl.facts img"))) {
            Object width = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return arguments[0].naturalWidth", img);
            assertTrue(((Number) width).intValue() > 0, "badge " + img.getAttribute("src") + " loaded");
        }
        browser.get(server.uri().resolve("index.html").toString());
        WebElement chart = browser.findElement(By.cssSelector("figure img"));
        Object width = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return arguments[0].naturalWidth", chart);
        assertEquals(720, ((Number) width).intValue());
        assertTrue(chart.getAttribute("alt").startsWith("Share of projects ready, latest:"));
    }

    @Test
    void livePageFollowsARunningMatrix() throws IOException {
        live.started("demo", 3);
        live.report("(1/3) ft-ready");
        live.done(1);
        browser.get(server.uri().resolve("live/").toString());
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d ->
                d.findElement(By.id("state")).getText().startsWith("running demo"));
        assertEquals("running demo: 1 of 3 projects done", browser.findElement(By.id("state")).getText());
        assertTrue(browser.findElement(By.id("lines")).getText().contains("(1/3) ft-ready"));
        screenshot("live.png");
    }

    @Test
    void siteWorksOfflineFromFileUrls() {
        browser.get(tmp.resolve("site/index.html").toUri().toString());
        new Select(browser.findElement(By.id("verdict"))).selectByVisibleText("crash");
        assertTrue(visibleRows().stream().anyMatch(r -> r.getText().startsWith("ft-crashy")));
        assertTrue(visibleRows().stream().noneMatch(r -> r.getText().startsWith("ft-ready")));
    }
}
