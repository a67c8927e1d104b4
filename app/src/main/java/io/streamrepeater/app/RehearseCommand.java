package io.streamrepeater.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamrepeater.status.RehearsalReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stream-repeater rehearse CHANNEL --seconds N}: runs a failover drill and prints its report. */
@Command(
        name = "rehearse",
        mixinStandardHelpOptions = true,
        description =
                "Fail the channel's active input for a while (its encoder is not touched), then print what happened.")
public final class RehearseCommand extends RemoteCommand {
    @Parameters(index = "0", paramLabel = "CHANNEL")
    String channel;

    @Option(
            names = "--seconds",
            defaultValue = "10",
            description = "How long the input counts as failed (default: ${DEFAULT-VALUE}).")
    long seconds;

    @Override
    int run(ApiClient api) throws Exception {
        String body = JSON.createObjectNode().put("durationSeconds", seconds).toString();
        var started = api.send("POST", "/api/v1/channels/" + channel + "/rehearsals", body, "application/json");
        if (ok(started) == null) {
            return 1;
        }
        String location = started.headers().firstValue("Location").orElseThrow();
        System.out.println("rehearsal running on channel " + channel + " for " + seconds + " s…");
        long deadline = System.nanoTime() + (seconds + 30) * 1_000_000_000L;
        JsonNode state;
        do {
            Thread.sleep(500); // polling a remote server from the CLI; never on the media path
            state = ok(api.send("GET", location, null, null));
            if (state == null) {
                return 1;
            }
        } while ("running".equals(state.path("status").asText()) && System.nanoTime() < deadline);
        JsonNode r = state.path("report");
        System.out.printf("result:             %s%n", state.path("status").asText());
        System.out.printf("failed input:       %s%n", r.path("failedInput").asText("-"));
        System.out.printf(
                "switched to:        %s%n",
                r.path("switchedTo").isNull()
                        ? "nothing could take over"
                        : r.path("switchedTo").asText());
        System.out.printf(
                "detection delay:    %d ms%n", r.path("detectionDelayMs").asLong(-1));
        System.out.printf("switch time:        %d ms%n", r.path("switchMs").asLong(-1));
        System.out.printf("output media gap:   %d ms%n", r.path("gapMs").asLong(-1));
        System.out.printf("repeated content:   %d ms%n", r.path("repeatedMs").asLong(-1));
        System.out.printf(
                "gap allowed:        %d ms (%s timeline)%n",
                gapLimit(r), r.path("timeline").asText("-"));
        System.out.println("destinations (what each was sent during the drill):");
        for (JsonNode d : r.path("destinations")) {
            System.out.printf(
                    "  %-16s %s  %d video / %d audio frames, %d bytes, largest video DTS step %d ms,"
                            + " %d reconnect(s)%n",
                    d.path("destination").asText(),
                    d.path("decodable").asBoolean()
                            ? "decodable"
                            : "NOT DECODABLE (" + d.path("problem").asText() + ")",
                    d.path("videoFrames").asLong(),
                    d.path("audioFrames").asLong(),
                    d.path("bytes").asLong(),
                    d.path("maxVideoDtsStepMs").asLong(),
                    d.path("reconnects").asLong());
        }
        state.path("problems").forEach(p -> System.out.println("problem: " + p.asText()));
        JsonNode compat = r.path("compatibility");
        System.out.printf("inputs match:       %s%n", compat.path("inputsMatch").asBoolean());
        compat.path("mismatches").forEach(m -> System.out.println("  mismatch: " + m.asText()));
        compat.path("warnings").forEach(w -> System.out.println("  warning: " + w.asText()));
        return "passed".equals(state.path("status").asText()) ? 0 : 3;
    }

    /** The gap the report's timeline allows (RehearsalReport#gapLimitMs, from the JSON). */
    private static long gapLimit(JsonNode r) {
        long limit = RehearsalReport.CONTINUOUS_GAP_LIMIT_MS;
        if ("realtime".equals(r.path("timeline").asText())) {
            limit += Math.max(0, r.path("detectionDelayMs").asLong())
                    + Math.max(0, r.path("switchMs").asLong());
        }
        return limit;
    }
}
