package io.streamrepeater.app;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/** What the browser tests of the dashboard do with its page: sign in, open the channel, read it. */
final class DashboardPage {
    private DashboardPage() {}

    /** Signs in with {@code token} and waits (10 s at most) for the channels list to show the channel {@code show}. */
    static void signIn(WebDriver browser, String base, String token) {
        browser.get(base + "/");
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("token")).isDisplayed());
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("sign-in")).click();
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> browser.findElement(By.cssSelector("tr[data-channel=show]"))
                        .isDisplayed());
    }

    /** Opens the channel page from the list (redrawn at every refresh: a stale row is looked up again). */
    static void openChannel(WebDriver browser) {
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            browser.findElement(By.cssSelector("tr[data-channel=show] a")).click();
            return browser.getCurrentUrl().contains("#/channels/show");
        });
    }

    /** Waits (10 s at most) for the page's confirmation dialog and answers it OK. */
    static void confirm(WebDriver browser) {
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("confirm-dialog")).isDisplayed());
        js(browser, "document.getElementById('confirm-ok').click()");
    }

    /** How many elements match {@code css} (a selector without single quotes). */
    static long count(WebDriver browser, String css) {
        return (Long) js(browser, "return document.querySelectorAll('" + css + "').length");
    }

    /** The text of the first element that matches {@code css}. */
    static String text(WebDriver browser, String css) {
        return (String) js(browser, "return document.querySelector('" + css + "').textContent");
    }

    static Object js(WebDriver browser, String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    /**
     * Saves what the browser shows as {@code name} under {@code -Ddashboard.screenshots} (default
     * target/dashboard-screenshots; {@code $PWD/docs} refreshes the README's pictures).
     */
    static void screenshot(WebDriver browser, String name) throws java.io.IOException {
        java.nio.file.Path dir =
                java.nio.file.Path.of(System.getProperty("dashboard.screenshots", "target/dashboard-screenshots"));
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.write(
                dir.resolve(name),
                ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    }
}
