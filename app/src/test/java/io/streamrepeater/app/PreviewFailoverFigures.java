package io.streamrepeater.app;

import static org.awaitility.Awaitility.await;

import io.streamrepeater.app.bench.FigureTable;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebDriver;

/**
 * The dashboard's live preview during failovers (issue 20's goal: the backup's picture within 3 s of the primary's
 * encoder being killed; bench/preview-failover.sh). One server, two looping ffmpeg encoders with different picture
 * sizes (320x180 and 256x144, a keyframe a second), headless chromium playing the channel's output preview with the
 * vendored mpegts.js. {@code -Dbench.kills=N} times (default 20): the encoder feeding the channel is killed; measured
 * from the kill to the server's switch (the channel's active input changes) and to the other picture size decoded in
 * the page's {@code <video>}; the killed encoder is started again and becomes the standby (failback sticky), so the
 * next kill hits the other one. Between kills, the player's buffer ({@code buffered.end - currentTime}) is sampled:
 * the delay the player adds to what goes out; and the times the page had to start a failed player again. Written to {@code target/preview-failover-figures.md}.
 */
@Tag("benchmark")
class PreviewFailoverFigures {
    private static final int KILLS = Integer.getInteger("bench.kills", 20);
    private static final String ADMIN = "preview-figures-admin-token";

    @Test
    void previewFollowsFailovers(@TempDir Path tmp) throws Exception {
        Path[] media = {
            TestMedia.h264Aac(Duration.ofSeconds(10), 30, "320x180", 30, "300k"),
            TestMedia.h264Aac(Duration.ofSeconds(10), 30, "256x144", 30, "250k")
        };
        long[] widths = {320, 256};
        String[] inputs = {"primary", "backup"};
        String yaml = """
                server:
                  adminToken: "%s"
                  srtPort: 0
                channels:
                  - name: show
                    inputs:
                      - { name: primary, key: "preview-figures-primary" }
                      - { name: backup, key: "preview-figures-backup" }
                """.formatted(ADMIN);
        List<Long> switchMs = new ArrayList<>();
        List<Long> pictureMs = new ArrayList<>();
        List<Long> delayMs = new ArrayList<>();
        List<Long> bufferMs = new ArrayList<>();
        long restarts;
        long reopened;
        try (RunningServer running = RunningServer.start(tmp.resolve("node"), yaml, null, true)) {
            FfmpegPublisher[] encoders = new FfmpegPublisher[2];
            for (int i = 0; i < 2; i++) {
                encoders[i] = FfmpegPublisher.start(media[i], running.ingestUrl("preview-figures-" + inputs[i]));
            }
            WebDriver browser = DashboardBrowserTest.startBrowser(tmp.resolve("chromium-profile"));
            try {
                DashboardPage.signIn(browser, "http://127.0.0.1:" + running.server.httpPort(), ADMIN);
                DashboardPage.openChannel(browser);
                await().atMost(Duration.ofSeconds(20))
                        .ignoreExceptions()
                        .until(() -> DashboardPage.count(browser, "article[data-state=STANDBY]") == 1);
                DashboardPage.js(browser, "document.getElementById('preview-toggle').click()");
                for (int k = 0; k < KILLS; k++) {
                    String active = running.channel("show").activeInput();
                    int feeding = active.equals("primary") ? 0 : 1;
                    int other = 1 - feeding;
                    await().atMost(Duration.ofSeconds(20))
                            .ignoreExceptions()
                            .until(() -> PreviewPlayer.videoWidth(browser) == widths[feeding]);
                    for (int s = 0; s < 5; s++) {
                        bufferMs.add(PreviewPlayer.bufferedAheadMs(browser));
                        long until = System.nanoTime() + 1_000_000_000L;
                        await().atMost(Duration.ofSeconds(2)).until(() -> System.nanoTime() >= until);
                    }
                    long killedAt = System.nanoTime();
                    encoders[feeding].kill();
                    await().atMost(Duration.ofSeconds(15))
                            .pollInterval(Duration.ofMillis(10))
                            .until(() ->
                                    inputs[other].equals(running.channel("show").activeInput()));
                    switchMs.add(Duration.ofNanos(System.nanoTime() - killedAt).toMillis());
                    try {
                        await().atMost(Duration.ofSeconds(15))
                                .pollInterval(Duration.ofMillis(20))
                                .until(() -> PreviewPlayer.videoWidth(browser) == widths[other]);
                    } catch (org.awaitility.core.ConditionTimeoutException e) {
                        throw new AssertionError(
                                "kill " + (k + 1) + ": the preview did not show the other picture; the page says: "
                                        + DashboardPage.text(browser, "#preview-note"),
                                e);
                    }
                    pictureMs.add(Duration.ofNanos(System.nanoTime() - killedAt).toMillis());
                    delayMs.add(pictureMs.get(pictureMs.size() - 1) - switchMs.get(switchMs.size() - 1));
                    encoders[feeding].close();
                    encoders[feeding] = FfmpegPublisher.start(
                            media[feeding], running.ingestUrl("preview-figures-" + inputs[feeding]));
                    await().atMost(Duration.ofSeconds(20))
                            .ignoreExceptions()
                            .until(() -> DashboardPage.count(browser, "article[data-state=STANDBY]") == 1);
                }
                restarts = Long.parseLong((String) DashboardPage.js(
                        browser, "return document.getElementById('preview-video').dataset.restarts || '0'"));
                reopened = Long.parseLong((String) DashboardPage.js(
                        browser, "return document.getElementById('preview-video').dataset.reopened || '0'"));
            } finally {
                browser.quit();
                for (FfmpegPublisher e : encoders) {
                    e.close();
                }
            }
        }
        String table = "Preview during failovers (" + KILLS + " kills, " + bufferMs.size()
                + " buffer samples); median / p90 / max in ms\n\n"
                + "| figure | median | p90 | max |\n|---|---:|---:|---:|\n"
                + row("kill to the server's switch", switchMs)
                + row("kill to the other picture in the preview", pictureMs)
                + row("server's switch to that picture in the page (the preview's delay, feed reopened)", delayMs)
                + row("player's buffer ahead of the picture shown", bufferMs)
                + "\nPlayer restarts after an error (the page starts a failed player again): " + restarts + "\n"
                + "Feeds opened again where the picture's format changed (endOnFormatChange): " + reopened + "\n"
                + "\nWithin 3 s of the kill: "
                + pictureMs.stream().filter(ms -> ms <= 3_000).count() + " of "
                + pictureMs.size() + "\n";
        Files.writeString(Path.of("target", "preview-failover-figures.md"), table);
        System.out.print(table);
    }

    private static String row(String name, List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        long p90 = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.9) - 1));
        return String.format(
                Locale.ROOT,
                "| %s | %s | %d | %d |%n",
                name,
                FigureTable.format(FigureTable.median(values)),
                p90,
                FigureTable.worst(values));
    }
}
