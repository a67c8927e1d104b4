package io.streamrepeater.app;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.openqa.selenium.WebDriver;

/** What the browser tests read from the dashboard's live preview, the {@code <video id=preview-video>}. */
final class PreviewPlayer {
    private PreviewPlayer() {}

    /** Waits until the preview plays: time advances and the decoder reports a picture size. */
    static void awaitPlaying(WebDriver browser) {
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            double t0 = currentTime(browser);
            return videoWidth(browser) > 0
                    && await().atMost(Duration.ofSeconds(3)).until(() -> currentTime(browser), t -> t > t0 + 0.5) > 0;
        });
    }

    static double currentTime(WebDriver browser) {
        return ((Number) DashboardPage.js(browser, "return document.getElementById('preview-video').currentTime"))
                .doubleValue();
    }

    /** The width of the picture the page's decoder shows now (0 before the first one). */
    static long videoWidth(WebDriver browser) {
        return ((Number) DashboardPage.js(browser, "return document.getElementById('preview-video').videoWidth"))
                .longValue();
    }

    /** How far, in ms, the media the player holds runs ahead of the picture shown: the delay the player adds. */
    static long bufferedAheadMs(WebDriver browser) {
        return ((Number) DashboardPage.js(
                        browser,
                        "const v = document.getElementById('preview-video');"
                                + " return v.buffered.length ? Math.round((v.buffered.end(v.buffered.length - 1)"
                                + " - v.currentTime) * 1000) : -1"))
                .longValue();
    }
}
