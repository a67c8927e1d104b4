package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBufUtil;
import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.status.DestinationState;
import io.streamrepeater.status.InputState;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.TestMedia;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HEVC relayed by packet copy across a failover between two HEVC inputs: two ffmpeg encoders publish HEVC over SRT
 * (320x180 and 256x144) to a relay, which pushes Enhanced RTMP to a second Stream Repeater server (nginx-rtmp 1.2.2
 * records no Enhanced RTMP video: its recorder waits for a legacy keyframe flag, so it cannot be the peer here). The
 * primary's encoder is killed: the relay's destination keeps its one session, and the second server receives each
 * encoder's HEVC sequence header byte for byte as the relay received it, with a decodable picture size after each.
 */
class HevcFailoverEndToEndTest {
    @Test
    void aFailoverBetweenTwoHevcInputsKeepsOneSessionAndSendsEachHeaderByteForByte(@TempDir Path tmp) throws Exception {
        Path primaryMedia = TestMedia.hevcAacTs(Duration.ofSeconds(4), 30, "320x180", 30);
        Path backupMedia = TestMedia.hevcAacTs(Duration.ofSeconds(4), 30, "256x144", 30);
        try (io.streamrepeater.testkit.CapturedLogs connections =
                        io.streamrepeater.testkit.CapturedLogs.of(LiveChannel.class);
                RunningServer downstream = RunningServer.start(tmp.resolve("downstream"), """
                        server: { adminToken: "hevc-downstream-admin", srtPort: 0 }
                        channels:
                          - name: down
                            inputs:
                              - { name: main, key: "hevc-downstream-key-001" }
                        """, null);
                RunningServer relay = RunningServer.start(
                        tmp.resolve("relay"),
                        """
                        server: { adminToken: "hevc-failover-admin", srtPort: 0 }
                        channels:
                          - name: show
                            inputs:
                              - { name: primary, key: "hevc-failover-primary-1" }
                              - { name: backup, key: "hevc-failover-backup-02" }
                            destinations:
                              - { name: d1, url: "%s" }
                        """.formatted(downstream.ingestUrl("hevc-downstream-key-001")),
                        null,
                        false,
                        null,
                        true);
                FfmpegPublisher primary =
                        FfmpegPublisher.startSrt(primaryMedia, relay.srtUrl("hevc-failover-primary-1"))) {
            LiveChannel relayed = relay.server.channel("show");
            LiveChannel received = downstream.server.channel("down");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> "primary".equals(relay.channel("show").activeInput())
                            && relay.destination("show", "d1").state() == DestinationState.LIVE
                            && downstream.channel("down").inputs().get(0).state() == InputState.ACTIVE
                            && downstream.channel("down").inputs().get(0).format() != null);
            byte[] primaryHeader = videoHeader(relayed, "primary");
            assertThat(videoHeader(received, "main"))
                    .as("the primary's HEVC header, byte for byte, at the second server")
                    .isEqualTo(primaryHeader);
            assertThat(relay.channel("show").inputs().get(0).format())
                    .as("the picture size read from the HEVC SPS")
                    .startsWith("HEVC 320x180");
            assertThat(downstream.channel("down").inputs().get(0).format()).startsWith("HEVC 320x180");

            try (FfmpegPublisher backup =
                    FfmpegPublisher.startSrt(backupMedia, relay.srtUrl("hevc-failover-backup-02"))) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> relay.channel("show").inputs().get(1).state() == InputState.STANDBY);
                byte[] backupHeader = videoHeader(relayed, "backup");
                await().atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> assertThat(
                                        relay.channel("show").compatibility().mismatches())
                                .as("the HEVC inputs' sizes compared before any switch")
                                .contains("resolution: primary 320x180, backup 256x144"));
                assertThat(backupHeader).isNotEqualTo(primaryHeader);
                long packetsBefore = downstream.channel("down").inputs().get(0).packets();
                primary.kill();
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> "backup".equals(relay.channel("show").activeInput())
                                && Arrays.equals(videoHeader(received, "main"), backupHeader));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> downstream.channel("down").inputs().get(0).packets() > packetsBefore + 120);
                await().atMost(Duration.ofSeconds(10))
                        .until(
                                () -> downstream.channel("down").inputs().get(0).format(),
                                f -> f.startsWith("HEVC 256x144"));
                assertThat(relay.destination("show", "d1").reconnects())
                        .as("one session across the failover")
                        .isZero();
                assertThat(connections.linesWith("event=input-connected channel=down"))
                        .as("the second server saw one publisher connect, once (the SRT encoder's death shows as a"
                                + " pause in media until the relay's switch, not as a new session)")
                        .hasSize(1);
                assertThat(downstream.channel("down").inputs().get(0).packets())
                        .as("packets counted over one session")
                        .isGreaterThan(packetsBefore);
            }
        }
    }

    /** The body of an input's cached video sequence header, read on the channel's loop. */
    private static byte[] videoHeader(LiveChannel channel, String input) throws Exception {
        return channel.loop()
                .submit(() -> {
                    byte[] header = null;
                    for (MediaPacket p : channel.inputStartupPackets(input)) {
                        if (header == null && p.kind() == MediaKind.VIDEO && p.sequenceHeader()) {
                            header = ByteBufUtil.getBytes(p.payload());
                        }
                        p.release();
                    }
                    return header;
                })
                .get(5, TimeUnit.SECONDS);
    }
}
