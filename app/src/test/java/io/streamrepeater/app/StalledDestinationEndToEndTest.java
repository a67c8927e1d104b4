package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.status.DestinationEvent;
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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stall detection: a destination frozen with SIGSTOP stops acknowledging; after the channel's
 * {@code relay.stallTimeoutMs} (3 s here) it is dropped as {@code stalled} and, after SIGCONT, reconnected
 * once. The other destination sees nothing of it: one publish session with every frame.
 */
class StalledDestinationEndToEndTest {
    private static final Logger LOG = LoggerFactory.getLogger(StalledDestinationEndToEndTest.class);
    private static final int GOP = 30;

    @Test
    void frozenDestinationIsDroppedAsStalledAndReconnectedAfterSigcont(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(15), GOP, "640x360", 30, "2000k");
        MediaReport sent = Ffprobe.analyze(media);
        try (NginxRtmp steady = NginxRtmp.start(tmp.resolve("steady"));
                NginxRtmp frozen = NginxRtmp.start(tmp.resolve("frozen"))) {
            String yaml = """
                    server: { rtmpPort: 1935, httpPort: 0, srtPort: 0 }
                    channels:
                      - name: show
                        inputs: [{ name: primary, key: "primary-key-123" }]
                        relay: { stallTimeoutMs: 3000 }
                        destinations:
                          - { name: steady, url: "%s" }
                          - { name: frozen, url: "%s" }
                    """.formatted(steady.rtmpUrl("live", "dest-steady"), frozen.rtmpUrl("live", "dest-frozen"));
            try (RunningServer server = RunningServer.start(tmp.resolve("relay"), yaml, null)) {
                server.awaitDestinationsLive("show", Duration.ofSeconds(20));
                try (FfmpegPublisher encoder = FfmpegPublisher.startOnce(media, server.ingestUrl("primary-key-123"))) {
                    server.awaitPacketsSent("show", "frozen", 100, Duration.ofSeconds(20));

                    long frozenAt = System.nanoTime();
                    frozen.pause();
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> stalledEvents(server).size() == 1);
                    long detectedMs = (System.nanoTime() - frozenAt) / 1_000_000;
                    long resumedAt = System.nanoTime();
                    frozen.resume();
                    await().atMost(Duration.ofSeconds(15)).until(() -> {
                        List<DestinationEvent> events = eventsOf(server, "frozen");
                        return events.get(events.size() - 1).to() == DestinationState.LIVE
                                && events.indexOf(stalledEvents(server).get(0)) < events.size() - 1;
                    });
                    long liveAgainMs = (System.nanoTime() - resumedAt) / 1_000_000;
                    DestinationStatus after = server.destination("show", "frozen");
                    LOG.info("event=measured what=stall-detected ms-after-sigstop={} stallTimeoutMs=3000", detectedMs);
                    LOG.info(
                            "event=measured what=live-again ms-after-sigcont={} reconnects={} gopsDropped={}"
                                    + " peakPendingBytes={} lastError=\"{}\"",
                            liveAgainMs,
                            after.reconnects(),
                            after.gopsDropped(),
                            after.peakPendingBytes(),
                            after.lastError());

                    assertThat(after.reconnects()).isEqualTo(1);
                    assertThat(after.lastError()).startsWith("stalled: no acknowledgement for");
                    assertThat(after.peakPendingBytes()).isLessThanOrEqualTo(after.maxPendingBytes());
                    List<DestinationEvent> events = eventsOf(server, "frozen");
                    int stall = events.indexOf(stalledEvents(server).get(0));
                    assertThat(events.subList(stall - 1, events.size()))
                            .extracting(DestinationEvent::to)
                            .containsExactly(
                                    DestinationState.LIVE,
                                    DestinationState.RETRYING,
                                    DestinationState.CONNECTING,
                                    DestinationState.LIVE);
                    server.awaitPacketsSent("show", "frozen", 150, Duration.ofSeconds(15));

                    assertThat(encoder.waitFor(Duration.ofSeconds(30)))
                            .as("ffmpeg log:\n%s", encoder.log())
                            .contains(0);
                }
                DestinationStatus steadyStatus = server.destination("show", "steady");
                assertThat(steadyStatus.reconnects()).isZero();
                assertThat(steadyStatus.framesDropped()).isZero();
                assertThat(eventsOf(server, "steady"))
                        .extracting(DestinationEvent::to)
                        .containsExactly(DestinationState.CONNECTING, DestinationState.LIVE);
            }
            for (NginxRtmp sink : List.of(steady, frozen)) {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> !sink.publishSessions().isEmpty()
                                && sink.publishSessions()
                                                .get(sink.publishSessions().size() - 1)
                                                .kind()
                                        == PublishEvent.Kind.PUBLISH_DONE);
            }
            assertThat(steady.publishSessions())
                    .filteredOn(s -> s.kind() == PublishEvent.Kind.PUBLISH)
                    .hasSize(1);
            assertThat(steady.recordings()).hasSize(1);
            MediaReport got = Ffprobe.analyze(steady.recordings().get(0));
            assertThat(got.decodeErrorLines()).isEmpty();
            assertThat(got.videoPackets()).isBetween(sent.videoPackets() - GOP, sent.videoPackets() + GOP);
            assertThat(got.maxVideoDtsGapMs()).isLessThanOrEqualTo(2 * 1000 / 30);

            assertThat(frozen.recordings()).hasSize(2);
            MediaReport reconnected = Ffprobe.analyze(frozen.recordings().get(1));
            assertThat(reconnected.firstVideoPacketIsKeyframe()).isTrue();
            assertThat(reconnected.decodeErrorLines()).isEmpty();
        }
    }

    private static List<DestinationEvent> eventsOf(RunningServer server, String destination) {
        return server.relay("show").events().stream()
                .filter(e -> e.destination().equals(destination))
                .toList();
    }

    private static List<DestinationEvent> stalledEvents(RunningServer server) {
        return eventsOf(server, "frozen").stream()
                .filter(e -> e.to() == DestinationState.RETRYING && e.reason().startsWith("stalled:"))
                .toList();
    }
}
