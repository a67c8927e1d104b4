package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrepeater.testkit.FfmpegPublisher;
import io.streamrepeater.testkit.NginxRtmp;
import io.streamrepeater.testkit.TestMedia;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Platform verdicts on a running server, read from the API: real ffmpeg encoders (the primary with a keyframe every
 * 5 s, the backup with one every 2 s and another picture size) and two real nginx-rtmp destinations, one declared
 * {@code platform: twitch}, the other left to recognition (a loopback host: custom). Twitch's 2 s keyframe rule
 * fails the primary and passes the backup, before any switch; the custom destination has no rules.
 */
class PlatformPreflightEndToEndTest {
    private static final String ADMIN = "preflight-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aTwitchDestinationFlagsTheFiveSecondKeyframesOfThePrimaryAndJudgesTheBackupBeforeAnySwitch(@TempDir Path tmp)
            throws Exception {
        Path primaryMedia = TestMedia.h264Aac(Duration.ofSeconds(10), 150, "320x180", 30, "300k");
        Path backupMedia = TestMedia.h264Aac(Duration.ofSeconds(10), 60, "640x360", 30, "500k");
        try (NginxRtmp dest = NginxRtmp.start(tmp.resolve("dest"));
                RunningServer running = RunningServer.start(
                        tmp.resolve("node"),
                        """
                        server: { adminToken: "%s", srtPort: 0 }
                        channels:
                          - name: show
                            inputs:
                              - { name: primary, key: "preflight-primary-key-1" }
                              - { name: backup, key: "preflight-backup-key-02" }
                            destinations:
                              - { name: tw, url: "%s", platform: twitch }
                              - { name: own, url: "%s" }
                        """.formatted(ADMIN, dest.rtmpUrl("live", "tw"), dest.rtmpUrl("live", "own")),
                        null,
                        true)) {
            // no encoder yet: the verdict checks find nothing to judge and stop; the primary coming up must wake them
            await().atMost(Duration.ofSeconds(10)).until(() -> !running.server.verdictChecksRunning());
            try (FfmpegPublisher primary =
                    FfmpegPublisher.start(primaryMedia, running.ingestUrl("preflight-primary-key-1"))) {
                primaryPublishing(running, backupMedia);
            }
        }
    }

    /** The primary publishes: the backup joins, both are judged, the verdict change becomes an event. */
    private void primaryPublishing(RunningServer running, Path backupMedia) throws Exception {
        String base = "http://127.0.0.1:" + running.server.httpPort();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "primary".equals(running.channel("show").activeInput()));
        try (FfmpegPublisher backup =
                FfmpegPublisher.start(backupMedia, running.ingestUrl("preflight-backup-key-02"))) {
            // two keyframes of each input have been seen: the primary's 5 s interval is measured
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> keyframeFinding(channel(base), "tw", "primary") != null
                            && keyframeFinding(channel(base), "tw", "backup") != null);
            JsonNode show = channel(base);
            assertThat(show.path("activeInput").asText())
                    .as("no switch happened")
                    .isEqualTo("primary");

            JsonNode tw = preflight(show, "tw");
            assertThat(tw.path("platform").asText()).isEqualTo("twitch");
            assertThat(tw.path("verdict").asText()).isEqualTo("violation");
            JsonNode primaryKeyframes = keyframeFinding(show, "tw", "primary");
            assertThat(primaryKeyframes.path("level").asText()).isEqualTo("violation");
            assertThat(primaryKeyframes.path("measured").asText()).matches("(49|50|51)\\d\\d ms");
            assertThat(primaryKeyframes.path("source").asText()).startsWith("https://help.twitch.tv/");
            JsonNode backupKeyframes = keyframeFinding(show, "tw", "backup");
            assertThat(backupKeyframes.path("level").asText()).isEqualTo("ok");
            assertThat(verdict(show, "tw", "backup"))
                    .as("the standby backup is judged before any switch: %s", tw)
                    .isEqualTo("ok");
            assertThat(finding(show, "tw", "backup", "resolution")
                            .path("measured")
                            .asText())
                    .isEqualTo("640x360");
            assertThat(finding(show, "tw", "primary", "resolution")
                            .path("measured")
                            .asText())
                    .isEqualTo("320x180");

            JsonNode own = preflight(show, "own");
            assertThat(own.path("platform").asText()).isEqualTo("custom");
            assertThat(own.path("verdict").asText()).isEqualTo("ok");
            for (JsonNode input : own.path("inputs")) {
                assertThat(input.path("findings"))
                        .as("a custom server has no rules")
                        .isEmpty();
            }
            // the change is an event (the timeline, SSE, webhooks), once it held for two checks
            await().atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> EventHistory.read(base, ADMIN).stream()
                            .anyMatch(e -> e.path("type").asText().equals("PREFLIGHT_VERDICT")
                                    && e.path("destination").asText().equals("tw")
                                    && e.path("input").asText().equals("primary")
                                    && e.path("to").asText().equals("violation")
                                    && e.path("reason").asText().contains("keyframe interval 2 s")));
            assertThat(EventHistory.read(base, ADMIN).stream()
                            .filter(e -> e.path("type").asText().equals("PREFLIGHT_VERDICT"))
                            .filter(e -> !e.path("to").asText().equals("violation")
                                    || !e.path("destination").asText().equals("tw")))
                    .as("ok verdicts from the start are no change: one event, the primary's violation")
                    .isEmpty();

            // the pre-show checklist's command: the table, and exit code 2 for the violation
            String table = Cli.runExpecting(
                    PreflightCommand.VIOLATION, "preflight", "show", "--server", base, "--token", ADMIN);
            assertThat(table)
                    .containsPattern("tw +twitch +primary +violation +(49|50|51)\\d\\d ms +keyframe interval 2 s")
                    .containsPattern("tw +twitch +backup +ok")
                    .containsPattern("own +custom +primary +ok .*no rules")
                    .contains("show inputs differ: resolution: primary 320x180, backup 640x360")
                    .contains("preflight: VIOLATION");
            // verdicts are advice: both destinations stay live
            assertThat(running.destination("show", "tw").state().name()).isEqualTo("LIVE");
            assertThat(running.destination("show", "own").state().name()).isEqualTo("LIVE");
        }
    }

    private static JsonNode channel(String base) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/channels/show"))
                                .header("Authorization", "Bearer " + ADMIN)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static JsonNode preflight(JsonNode channel, String destination) {
        for (JsonNode d : channel.path("preflight")) {
            if (d.path("destination").asText().equals(destination)) {
                return d;
            }
        }
        throw new AssertionError("no preflight for " + destination + " in " + channel.path("preflight"));
    }

    private static String verdict(JsonNode channel, String destination, String input) {
        for (JsonNode i : preflight(channel, destination).path("inputs")) {
            if (i.path("input").asText().equals(input)) {
                return i.path("verdict").asText();
            }
        }
        return null;
    }

    private static JsonNode finding(JsonNode channel, String destination, String input, String rulePrefix) {
        for (JsonNode i : preflight(channel, destination).path("inputs")) {
            if (i.path("input").asText().equals(input)) {
                for (JsonNode f : i.path("findings")) {
                    if (f.path("rule").asText().startsWith(rulePrefix)) {
                        return f;
                    }
                }
            }
        }
        return null;
    }

    private static JsonNode keyframeFinding(JsonNode channel, String destination, String input) {
        return finding(channel, destination, input, "keyframe");
    }
}
