package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelEventType;
import io.streamrepeater.status.InputState;
import io.streamrepeater.status.InputStatus;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.PublishEvent;
import io.streamrepeater.testkit.TestMedia;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8: "key rotation without dropping the other input". Two encoders publish to the primary and the backup;
 * rotating one input's key over the API leaves the other input's publish session as it was (same connection,
 * packets still counted, no down event), the rotated input's live encoder stays too, and the destination keeps
 * its one publish session.
 */
class KeyRotationEndToEndTest {
    private static final String TOKEN = "rotation-admin-token-1";
    private static final String PRIMARY_KEY = "rotation-primary-key-1";
    private static final String BACKUP_KEY = "rotation-backup-key-2";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void rotatingOneInputsKeyDropsNeitherEncoderNorTheDestinationSession(@TempDir Path tmp) throws Exception {
        Path media = TestMedia.h264Aac(Duration.ofSeconds(6), 30, "320x180", 30, "300k");
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"));
                RunningServer server = RunningServer.start(
                        tmp.resolve("relay"),
                        """
                     server: { rtmpPort: 1935, httpPort: 0, srtPort: 0, adminToken: "%s" }
                     channels:
                       - name: show
                         inputs:
                           - { name: primary, key: "%s" }
                           - { name: backup, key: "%s" }
                         destinations:
                           - { name: d, url: "%s" }
                     """.formatted(TOKEN, PRIMARY_KEY, BACKUP_KEY, dest.rtmpUrl("live", "out")),
                        null,
                        true);
                FfmpegPublisher primary = FfmpegPublisher.start(media, server.ingestUrl(PRIMARY_KEY))) {
            // The backup starts once the primary is on air: started together, either may be accepted first, and with
            // the default sticky failback the first one up stays active.
            await().atMost(WAIT).until(() -> input(server, "primary").state() == InputState.ACTIVE);
            FfmpegPublisher backup = FfmpegPublisher.start(media, server.ingestUrl(BACKUP_KEY));
            try {
                rotateBothKeys(server, dest, primary, backup);
            } finally {
                backup.close();
            }
        }
    }

    private void rotateBothKeys(RunningServer server, NginxRtmp dest, FfmpegPublisher primary, FfmpegPublisher backup)
            throws Exception {
        String base = "http://127.0.0.1:" + server.server.httpPort();
        await().atMost(WAIT)
                .until(() -> input(server, "primary").state() == InputState.ACTIVE
                        && input(server, "backup").state() == InputState.STANDBY
                        && server.destination("show", "d").packetsSent() > 60);

        // the primary's key, while the backup stands by
        assertRotationLeavesOtherInputAlone(server, base, "primary", "backup");
        assertThat(server.channel("show").activeInput())
                .as("the rotated input's live encoder stays")
                .isEqualTo("primary");
        // and the other way round: the backup's key, while the primary is on air
        assertRotationLeavesOtherInputAlone(server, base, "backup", "primary");

        assertThat(primary.isAlive())
                .as("primary encoder; log:%n%s", primary.log())
                .isTrue();
        assertThat(backup.isAlive())
                .as("backup encoder; log:%n%s", backup.log())
                .isTrue();
        assertThat(server.destination("show", "d").reconnects()).isZero();
        assertThat(dest.publishSessions())
                .as("the destination saw one publish session")
                .filteredOn(s -> s.kind() == PublishEvent.Kind.PUBLISH)
                .hasSize(1);
        assertThat(dest.publishSessions())
                .filteredOn(s -> s.kind() == PublishEvent.Kind.PUBLISH_DONE)
                .isEmpty();
    }

    private void assertRotationLeavesOtherInputAlone(RunningServer server, String base, String rotated, String other)
            throws Exception {
        InputStatus before = input(server, other);
        InputState otherState = before.state();
        long lastSequence = lastEventSequence(server);
        long sentBefore = server.destination("show", "d").packetsSent();

        HttpResponse<String> response = post(base + "/api/v1/channels/show/inputs/" + rotated + "/key");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json.readTree(response.body()).get("key").asText()).hasSize(32);

        await().atMost(WAIT)
                .until(() -> input(server, other).packets() > before.packets() + 60
                        && server.destination("show", "d").packetsSent() > sentBefore + 60);
        InputStatus after = input(server, other);
        assertThat(after.remoteAddress())
                .as("%s: the same encoder connection", other)
                .isEqualTo(before.remoteAddress());
        assertThat(after.state()).as("%s keeps its state", other).isEqualTo(otherState);
        List<ChannelEvent> events = server.server.channel("show").events().since(lastSequence);
        assertThat(events)
                .as("no input went down, no switch, no destination state change after rotating %s", rotated)
                .noneMatch(e -> e.type() == ChannelEventType.INPUT_DOWN
                        || e.type() == ChannelEventType.SWITCH
                        || e.type() == ChannelEventType.DESTINATION_STATE);
    }

    private static InputStatus input(RunningServer server, String name) {
        return server.channel("show").inputs().stream()
                .filter(i -> i.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static long lastEventSequence(RunningServer server) {
        return server.server.channel("show").events().since(0).stream()
                .mapToLong(ChannelEvent::sequence)
                .max()
                .orElse(0);
    }

    private HttpResponse<String> post(String url) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
