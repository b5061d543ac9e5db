package dev.ftmatrix.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ftmatrix.core.Verdict;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The published-wheels view as a person sees it, in Debian's headless Chromium (as {@link SiteInBrowserTest}): from
 * the matrix to the wheels page, a project's latest wheel with every module that turns the GIL back on, its first
 * ready release, and its history.
 */
class WheelsPageInBrowserTest {
    private static final Path SHOTS = Path.of("target", "browser");

    @TempDir
    Path tmp;

    static PublishedWheels.Check check(String version, String verdict, List<String> reenabling, String at) {
        return new PublishedWheels.Check(version, "cp313t", verdict, verdict + ": why", "w-" + version + ".whl",
                reenabling, List.of(), 3, at);
    }

    @Test
    void personGoesFromTheMatrixToTheWheelsAndReadsWhichModulesTurnTheGilOn() throws IOException {
        PublishedWheels.Check old = check("1.0", "wheel-reenables-gil", List.of("blake3.blake3", "blake3._extra"),
                "2026-11-01T10:00:00Z");
        PublishedWheels.Check now = check("1.1", "wheel-ready", List.of(), "2026-11-20T10:00:00Z");
        PublishedWheels blake = new PublishedWheels("blake3", Map.of("cp313t", now),
                Map.of("cp313t", new PublishedWheels.FirstReady("1.1", now.checkedAt(), 2)), List.of(now, old));
        PublishedWheels.Check sa = check("2.0.45", "wheel-reenables-gil", List.of("sqlalchemy.cyextension.util",
                "sqlalchemy.cyextension.collections"), "2026-11-21T10:00:00Z");
        PublishedWheels sqlalchemy = new PublishedWheels("SQLAlchemy", Map.of("cp313t", sa), Map.of(), List.of(sa));
        Path site = tmp.resolve("site");
        new SiteRenderer().publishedWheels(true).render("wheels-demo", List.of(Results.of("blake3",
                "2026-11-20T08:00:00Z", Results.verdicts("cp313", Verdict.READY, "cp313t", Verdict.READY))), site);
        assertEquals(2, new WheelsPage().render("wheels-demo", List.of(sqlalchemy, blake), site));
        JsonNode index = new ObjectMapper().readTree(site.resolve("api/v1/wheels.json").toFile());
        assertEquals("blake3", index.path("projects").get(0).path("name").asText(), "sorted by name, case aside");

        WebDriver browser = HeadlessChromium.start(tmp);
        try (SiteServer server = SiteServer.start(site, new InetSocketAddress("127.0.0.1", 0), new LiveProgress())) {
            browser.get(server.uri().resolve("index.html").toString());
            browser.findElement(By.linkText("Published wheels")).click();
            new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().endsWith("wheels.html"));
            assertEquals("Published wheels: wheels-demo", browser.findElement(By.tagName("h1")).getText());

            WebElement saRow = browser.findElement(By.id("w-SQLAlchemy"));
            List<WebElement> cells = saRow.findElements(By.tagName("td"));
            String latest = cells.get(0).getText();
            assertTrue(latest.startsWith("wheel-reenables-gil 2.0.45"), latest);
            assertTrue(latest.contains("sqlalchemy.cyextension.util") && latest.contains("sqlalchemy.cyextension.collections"),
                    "every module that re-enables the GIL is on the page: " + latest);
            assertEquals("none of 1 checked", cells.get(1).getText());

            WebElement blakeRow = browser.findElement(By.id("w-blake3"));
            cells = blakeRow.findElements(By.tagName("td"));
            assertTrue(cells.get(0).getText().startsWith("wheel-ready 1.1"), cells.get(0).getText());
            assertEquals("1.1", cells.get(1).getText());
            assertTrue(cells.get(1).getAttribute("title").contains("2 release(s) checked"), cells.get(1).getAttribute("title"));

            WebElement history = blakeRow.findElement(By.xpath("following-sibling::tr[1]//details"));
            WebElement oldRow = history.findElement(By.xpath(".//tbody/tr[2]"));
            assertFalse(oldRow.isDisplayed(), "the history is folded until asked for");
            history.findElement(By.tagName("summary")).click();
            assertTrue(oldRow.isDisplayed());
            assertEquals("1.0 cp313t wheel-reenables-gil blake3.blake3, blake3._extra", oldRow.getText().replaceAll(
                    " \\d{4}-\\d\\d-\\d\\d.*$", ""));
            Files.createDirectories(SHOTS);
            Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(png, SHOTS.resolve("wheels.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            browser.get(server.uri().resolve("badges/blake3/wheel-cp313t.svg").toString());
            assertTrue(browser.getPageSource().contains("cp313t wheel: wheel-ready"));
        } finally {
            browser.quit();
        }
    }
}
