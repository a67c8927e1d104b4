package io.streamrepeater.app;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code stream-repeater status [CHANNEL]}: channels, inputs and destinations as a readable table. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Show channels, their inputs and destinations.")
public final class StatusCommand extends ChannelsReportCommand {
    @Override
    int report(JsonNode channels) {
        System.out.print(render(channels));
        return 0;
    }

    static String render(JsonNode channels) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode c : channels) {
            sb.append(String.format(
                    "channel %s  active input: %s%n",
                    c.path("name").asText(),
                    c.path("activeInput").isNull() ? "-" : c.path("activeInput").asText()));
            sb.append(String.format(
                    "  %-10s %-8s %-5s %-9s %-7s %-5s %s%n",
                    "INPUT", "STATE", "VIA", "KBIT/S", "FPS", "AGE", "FORMAT / REASON"));
            for (JsonNode i : c.path("inputs")) {
                long age = i.path("lastPacketAgeMs").asLong(-1);
                String detail =
                        i.path("reason").isNull() || i.path("reason").asText().isEmpty()
                                ? i.path("format").asText("")
                                : i.path("reason").asText();
                JsonNode srt = i.path("srt");
                if (srt.isObject()) {
                    detail += String.format(
                            " (SRT rtt %.1f ms, lost %d, retransmitted %d, dropped %d)",
                            srt.path("rttMs").asDouble(),
                            srt.path("packetsLost").asLong(),
                            srt.path("packetsRetransmitted").asLong(),
                            srt.path("packetsDropped").asLong());
                }
                String via =
                        i.path("transport").isTextual() ? i.path("transport").asText() : "-";
                sb.append(String.format(
                        "  %-10s %-8s %-5s %-9d %-7.1f %-5s %s%n",
                        i.path("name").asText(),
                        i.path("state").asText(),
                        via,
                        i.path("bitrateBps").asLong() / 1000,
                        i.path("fps").asDouble(),
                        age < 0 ? "-" : age + "ms",
                        detail));
            }
            sb.append(String.format(
                    "  %-10s %-10s %-9s %-7s %-10s %s%n",
                    "DESTINATION", "STATE", "KBIT/S", "DROPS", "RECONNECTS", "LAST ERROR"));
            for (JsonNode d : c.path("destinations")) {
                sb.append(String.format(
                        "  %-10s %-10s %-9d %-7d %-10d %s%n",
                        d.path("name").asText(),
                        "LIVE".equals(d.path("state").asText())
                                        && d.path("idle").asBoolean()
                                ? "IDLE"
                                : d.path("state").asText(),
                        d.path("bitrateBps").asLong() / 1000,
                        d.path("framesDropped").asLong(),
                        d.path("reconnects").asLong(),
                        d.path("lastError").isNull() ? "" : d.path("lastError").asText()));
            }
            JsonNode compat = c.path("compatibility");
            if (compat.isObject() && !compat.path("inputsMatch").asBoolean(true)) {
                compat.path("mismatches")
                        .forEach(m ->
                                sb.append("  mismatch: ").append(m.asText()).append('\n'));
            }
            compat.path("warnings")
                    .forEach(w -> sb.append("  warning: ").append(w.asText()).append('\n'));
        }
        return sb.toString();
    }
}
