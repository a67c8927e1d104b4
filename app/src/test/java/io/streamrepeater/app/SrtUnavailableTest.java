package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.streamrepeater.status.InputState;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.TestMedia;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Without a loadable libsrt the server starts without its SRT listener, says so once, and RTMP ingest works. */
class SrtUnavailableTest {

    @Test
    void serverStartsWithoutTheSrtListenerAndSaysSoOnce(@TempDir Path tmp) throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        System.setProperty(Server.LIBSRT_PROPERTY, "libsrt-that-is-not-installed.so.9");
        try (RunningServer server = RunningServer.start(tmp.resolve("relay"), """
                server: { rtmpPort: 1935, httpPort: 0, srtPort: 0 }
                channels:
                  - name: show
                    inputs: [ { name: primary, key: "no-srt-primary-key" } ]
                """, null, false, null, true)) {
            System.clearProperty(Server.LIBSRT_PROPERTY);
            assertThat(server.server.srtPort()).isZero();
            Path media = TestMedia.h264Aac(Duration.ofSeconds(6), 30, "320x180", 30, "300k");
            try (FfmpegPublisher encoder = FfmpegPublisher.start(media, server.ingestUrl("no-srt-primary-key"))) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> server.channel("show").inputs().get(0).state() == InputState.ACTIVE);
            }
        } finally {
            System.clearProperty(Server.LIBSRT_PROPERTY);
            root.detachAppender(logs);
        }
        assertThat(logs.list)
                .filteredOn(e -> e.getFormattedMessage().startsWith("event=srt-unavailable"))
                .singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage())
                        .contains("libsrt-that-is-not-installed.so.9")
                        .contains("libsrt1.5-openssl"));
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().startsWith("event=srt-listening"));
    }
}
