package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.relay.ChannelRelay;
import io.streamrepeater.relay.DestinationSpec;
import io.streamrepeater.rtmp.session.RtmpUrl;
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

/** Destinations added, disabled, enabled and removed while the channel is live, through the in-process API. */
class LiveDestinationChangeEndToEndTest {

    @Test
    void addedDestinationStartsOnAKeyframeAndTheOthersAreUntouched(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(10), 30, "640x360", 30, "800k");
        try (NginxRtmp kept = NginxRtmp.start(tmp.resolve("kept"));
                NginxRtmp removed = NginxRtmp.start(tmp.resolve("removed"));
                NginxRtmp added = NginxRtmp.start(tmp.resolve("added"))) {
            String yaml = """
                    server: { rtmpPort: 1935, httpPort: 0, srtPort: 0 }
                    channels:
                      - name: show
                        inputs: [{ name: primary, key: "primary-key-123" }]
                        destinations:
                          - { name: kept, url: "%s" }
                          - { name: removed, url: "%s" }
                    """.formatted(kept.rtmpUrl("live", "dest-kept"), removed.rtmpUrl("live", "dest-removed"));
            try (RunningServer server = RunningServer.start(tmp.resolve("relay"), yaml, null)) {
                server.awaitDestinationsLive("show", Duration.ofSeconds(20));
                ChannelRelay relay = server.relay("show");
                try (FfmpegPublisher encoder = FfmpegPublisher.start(media, server.ingestUrl("primary-key-123"))) {
                    server.awaitPacketsSent("show", "kept", 100, Duration.ofSeconds(20));

                    relay.addDestination(
                            DestinationSpec.of("added", RtmpUrl.parse(added.rtmpUrl("live", "dest-added"))));
                    assertThat(relay.removeDestination("removed")).isTrue();
                    assertThatThrownBy(() -> relay.addDestination(
                                    DestinationSpec.of("kept", RtmpUrl.parse(added.rtmpUrl("live", "other")))))
                            .hasMessageContaining("already has a destination named 'kept'");
                    server.awaitDestinationLive("show", "added", Duration.ofSeconds(10));
                    server.awaitPacketsSent("show", "added", 150, Duration.ofSeconds(20));

                    assertThat(relay.disableDestination("added")).isTrue();
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> server.destination("show", "added").state() == DestinationState.DISABLED);
                    assertThat(relay.enableDestination("added")).isTrue();
                    server.awaitDestinationLive("show", "added", Duration.ofSeconds(10));
                    server.awaitPacketsSent("show", "added", 150, Duration.ofSeconds(20));

                    assertThat(server.channel("show").destinations())
                            .extracting(DestinationStatus::name)
                            .containsExactly("kept", "added");
                    assertThat(server.destination("show", "kept").reconnects()).isZero();
                }
            }
            for (NginxRtmp dest : List.of(kept, removed, added)) {
                // The last session has ended (a session cut by stopping nginx may have no publish_done).
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> !dest.publishSessions().isEmpty()
                                && dest.publishSessions()
                                                .get(dest.publishSessions().size() - 1)
                                                .kind()
                                        == PublishEvent.Kind.PUBLISH_DONE);
            }
            assertThat(kept.publishSessions())
                    .filteredOn(s -> s.kind() == PublishEvent.Kind.PUBLISH)
                    .hasSize(1);
            assertThat(kept.recordings()).hasSize(1);
            assertThat(removed.publishSessions())
                    .filteredOn(s -> s.kind() == PublishEvent.Kind.PUBLISH)
                    .hasSize(1);
            assertThat(added.publishSessions())
                    .filteredOn(s -> s.kind() == PublishEvent.Kind.PUBLISH)
                    .hasSize(2);
            for (Path recording : added.recordings()) {
                MediaReport got = Ffprobe.analyze(recording);
                assertThat(got.firstVideoPacketIsKeyframe())
                        .as(recording.toString())
                        .isTrue();
                assertThat(got.decodeErrorLines()).as(recording.toString()).isEmpty();
            }
            MediaReport keptReport = Ffprobe.analyze(kept.recordings().get(0));
            assertThat(keptReport.decodeErrorLines()).isEmpty();
            assertThat(keptReport.videoDtsMonotonic()).isTrue();
            assertThat(keptReport.maxVideoDtsGapMs()).isLessThanOrEqualTo(2 * 1000 / 30);
        }
    }
}
