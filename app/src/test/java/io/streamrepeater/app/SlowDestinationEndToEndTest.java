package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.status.DestinationState;
import io.streamrepeater.status.DestinationStatus;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.Ffprobe;
import io.streamrepeater.testkit.MediaReport;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.PublishEvent;
import io.streamrepeater.testkit.TestMedia;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One destination frozen with SIGSTOP: the other keeps getting every frame, the frozen one's send
 * queue stays within its bound, and after SIGCONT it is caught up by GOP drops or reconnected.
 */
class SlowDestinationEndToEndTest {
    private static final Logger LOG = LoggerFactory.getLogger(SlowDestinationEndToEndTest.class);
    private static final int GOP = 30;

    @Test
    void frozenDestinationIsIsolatedAndBounded(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(20), GOP, "640x360", 30, "2000k");
        MediaReport sent = Ffprobe.analyze(media);
        try (NginxRtmp fast = NginxRtmp.start(tmp.resolve("fast"));
                NginxRtmp frozen = NginxRtmp.start(tmp.resolve("frozen"))) {
            String yaml = """
                    server: { rtmpPort: 1935, httpPort: 0, srtPort: 0 }
                    channels:
                      - name: show
                        inputs: [{ name: primary, key: "primary-key-123" }]
                        destinations:
                          - { name: fast, url: "%s" }
                          - { name: frozen, url: "%s" }
                    """.formatted(fast.rtmpUrl("live", "dest-fast"), frozen.rtmpUrl("live", "dest-frozen"));
            try (RunningServer server = RunningServer.start(tmp.resolve("relay"), yaml, null)) {
                server.awaitDestinationsLive("show", Duration.ofSeconds(20));
                try (FfmpegPublisher encoder = FfmpegPublisher.startOnce(media, server.ingestUrl("primary-key-123"))) {
                    server.awaitPacketsSent("show", "frozen", 100, Duration.ofSeconds(20));

                    frozen.pause();
                    await().atMost(Duration.ofSeconds(15)).until(() -> {
                        DestinationStatus s = server.destination("show", "frozen");
                        return s.gopsDropped() > 0 || s.reconnects() > 0;
                    });
                    DestinationStatus behind = server.destination("show", "frozen");
                    frozen.resume();
                    LOG.info(
                            "event=measured what=frozen-destination gopsDropped={} framesDropped={} pendingBytes={}"
                                    + " peakPendingBytes={} maxPendingBytes={} reconnects={}",
                            behind.gopsDropped(),
                            behind.framesDropped(),
                            behind.pendingBytes(),
                            behind.peakPendingBytes(),
                            behind.maxPendingBytes(),
                            behind.reconnects());
                    assertThat(behind.peakPendingBytes()).isLessThanOrEqualTo(behind.maxPendingBytes());

                    long sentBefore = server.destination("show", "frozen").packetsSent();
                    await().atMost(Duration.ofSeconds(15)).until(() -> {
                        DestinationStatus s = server.destination("show", "frozen");
                        return s.state() == DestinationState.LIVE && s.packetsSent() > sentBefore + 60;
                    });
                    DestinationStatus after = server.destination("show", "frozen");
                    LOG.info(
                            "event=measured what=frozen-destination-after-resume gopsDropped={} framesDropped={}"
                                    + " peakPendingBytes={} reconnects={} lastError=\"{}\"",
                            after.gopsDropped(),
                            after.framesDropped(),
                            after.peakPendingBytes(),
                            after.reconnects(),
                            after.lastError());
                    assertThat(after.peakPendingBytes()).isLessThanOrEqualTo(after.maxPendingBytes());
                    assertThat(after.gopsDropped() + after.reconnects()).isPositive();

                    assertThat(encoder.waitFor(Duration.ofSeconds(40)))
                            .as("ffmpeg log:\n%s", encoder.log())
                            .contains(0);
                }
                DestinationStatus fastStatus = server.destination("show", "fast");
                assertThat(fastStatus.framesDropped())
                        .as("frames dropped by the fast destination")
                        .isLessThanOrEqualTo(2 * GOP);
                assertThat(fastStatus.reconnects()).isZero();
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            fast.publishSessions().stream().anyMatch(s -> s.kind() == PublishEvent.Kind.PUBLISH_DONE));
            assertThat(fast.recordings()).hasSize(1);
            MediaReport got = Ffprobe.analyze(fast.recordings().get(0));
            assertThat(got.decodeErrorLines()).isEmpty();
            assertThat(got.videoPackets()).isBetween(sent.videoPackets() - GOP, sent.videoPackets() + GOP);
            assertThat(got.maxVideoDtsGapMs()).isLessThanOrEqualTo(2 * 1000 / 30);
        }
    }
}
