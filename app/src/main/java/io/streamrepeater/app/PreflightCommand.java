package io.streamrepeater.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamrepeater.status.platform.Finding;
import picocli.CommandLine.Command;

/**
 * {@code stream-repeater preflight [CHANNEL]}: each destination's platform rules against each input that sends
 * media, as a table, for a pre-show checklist. Exit code 0 when nothing breaks a platform's requirement (warnings
 * included), 2 on any violation, 1 when the server cannot be asked.
 */
@Command(
        name = "preflight",
        mixinStandardHelpOptions = true,
        description = {
            "Check every input against each destination's platform rules (keyframe interval, codecs, bitrate,"
                    + " resolution, audio, RTMPS).",
            "Exit code: 0 no violation (warnings allowed), 2 a violation, 1 the server could not be asked."
        })
public final class PreflightCommand extends ChannelsReportCommand {
    /** The exit code when an input breaks a platform's requirement. */
    static final int VIOLATION = 2;

    @Override
    int report(JsonNode channels) {
        System.out.print(render(channels));
        return worst(channels).equals("violation") ? VIOLATION : 0;
    }

    /** The worst verdict over every channel's destinations. */
    static String worst(JsonNode channels) {
        String worst = Finding.OK;
        for (JsonNode c : channels) {
            for (JsonNode d : c.path("preflight")) {
                worst = Finding.worse(worst, d.path("verdict").asText(Finding.OK));
            }
        }
        return worst;
    }

    static String render(JsonNode channels) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode c : channels) {
            sb.append(String.format("channel %s%n", c.path("name").asText()));
            sb.append(String.format(
                    "  %-12s %-9s %-10s %-10s %-12s %s%n",
                    "DESTINATION", "PLATFORM", "INPUT", "VERDICT", "SENDS", "RULE"));
            for (JsonNode d : c.path("preflight")) {
                if (d.path("inputs").isEmpty()) {
                    sb.append(String.format(
                            "  %-12s %-9s %-10s %-10s %-12s %s%n",
                            d.path("destination").asText(),
                            d.path("platform").asText(),
                            "-",
                            "-",
                            "",
                            "no input sends media yet"));
                }
                for (JsonNode i : d.path("inputs")) {
                    boolean any = false;
                    for (JsonNode f : i.path("findings")) {
                        if (f.path("level").asText().equals("ok")) {
                            continue;
                        }
                        any = true;
                        sb.append(String.format(
                                "  %-12s %-9s %-10s %-10s %-12s %s (%s)%n",
                                d.path("destination").asText(),
                                d.path("platform").asText(),
                                i.path("input").asText(),
                                f.path("level").asText(),
                                f.path("measured").asText(),
                                f.path("rule").asText(),
                                f.path("source").asText()));
                    }
                    if (!any) {
                        sb.append(String.format(
                                "  %-12s %-9s %-10s %-10s %-12s %s%n",
                                d.path("destination").asText(),
                                d.path("platform").asText(),
                                i.path("input").asText(),
                                "ok",
                                "",
                                i.path("findings").isEmpty()
                                        ? "no rules (custom)"
                                        : i.path("findings").size() + " rules checked"));
                    }
                }
            }
        }
        for (JsonNode c : channels) {
            // the inputs against each other (the same check the switch relies on): a backup that differs from the
            // primary changes what the platforms get at a failover
            JsonNode compat = c.path("compatibility");
            compat.path("mismatches")
                    .forEach(m -> sb.append("  ")
                            .append(c.path("name").asText())
                            .append(" inputs differ: ")
                            .append(m.asText())
                            .append('\n'));
            compat.path("warnings")
                    .forEach(w -> sb.append("  ")
                            .append(c.path("name").asText())
                            .append(" warning: ")
                            .append(w.asText())
                            .append('\n'));
        }
        String worst = worst(channels);
        sb.append(
                worst.equals("violation")
                        ? "preflight: VIOLATION: a platform may refuse or drop what an input sends\n"
                        : worst.equals("warning")
                                ? "preflight: ok, with warnings (against platforms' recommendations)\n"
                                : "preflight: ok\n");
        return sb.toString();
    }
}
