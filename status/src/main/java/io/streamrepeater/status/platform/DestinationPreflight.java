package io.streamrepeater.status.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one destination's platform says of each of the channel's inputs that sends media: checked before any switch,
 * so a backup that breaks the platform's rules is found before it goes on air.
 *
 * @param platform the platform's name ({@link Platform#yamlName()})
 * @param verdict the worst verdict over the inputs ({@link Finding#OK} when no input sends media)
 */
public record DestinationPreflight(String destination, String platform, String verdict, List<InputVerdict> inputs) {
    public DestinationPreflight {
        inputs = List.copyOf(inputs);
    }

    /** A destination of a channel: its name, the platform whose rules apply and its URL (for the RTMPS rule). */
    public record Target(String name, Platform platform, String url) {}

    /** Judges each input's media (by input name, in the channel's order) for each destination. */
    public static List<DestinationPreflight> of(List<Target> destinations, Map<String, MediaFacts> inputs) {
        List<DestinationPreflight> out = new ArrayList<>();
        for (Target d : destinations) {
            List<InputVerdict> verdicts = new ArrayList<>();
            String worst = Finding.OK;
            for (Map.Entry<String, MediaFacts> input : inputs.entrySet()) {
                List<Finding> findings = PlatformRules.check(d.platform(), d.url(), input.getValue());
                String verdict = PlatformRules.verdict(findings);
                verdicts.add(new InputVerdict(input.getKey(), verdict, findings));
                worst = Finding.worse(worst, verdict);
            }
            out.add(new DestinationPreflight(d.name(), d.platform().yamlName(), worst, verdicts));
        }
        return out;
    }
}
