package io.streamrepeater.channel;

import io.streamrepeater.status.Compatibility;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a channel's connected inputs could replace each other: the same codecs and formats (a mismatch), and not
 * arriving from one address (a warning: one network failure would take both down).
 */
final class CompatibilityCheck {
    private CompatibilityCheck() {}

    /** Compares the connected inputs of {@code inputs} (the slate left out); safe from any thread. */
    static Compatibility of(List<Input> inputs) {
        List<String> mismatches = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Input reference = null;
        for (Input i : inputs) {
            if (i.slate() || i.session() == null || i.format() == null) {
                continue;
            }
            if (reference == null) {
                reference = i;
                continue;
            }
            mismatches.addAll(reference.format().differencesFrom(i.format(), reference.name(), i.name()));
        }
        List<Input> connected =
                inputs.stream().filter(i -> !i.slate() && i.session() != null).toList();
        for (int a = 0; a < connected.size(); a++) {
            for (int b = a + 1; b < connected.size(); b++) {
                String hostA = host(connected.get(a).session());
                String hostB = host(connected.get(b).session());
                if (hostA != null && hostA.equals(hostB)) {
                    warnings.add(connected.get(a).name() + " and "
                            + connected.get(b).name() + " arrive from the same address " + hostA
                            + ": one network failure takes both down");
                }
            }
        }
        return new Compatibility(mismatches.isEmpty(), mismatches, warnings);
    }

    private static String host(InputSession s) {
        if (s == null || s.remoteAddress() == null) {
            return null;
        }
        String r = s.remoteAddress();
        int colon = r.lastIndexOf(':');
        String h = colon > 0 ? r.substring(0, colon) : r;
        return h.startsWith("/") ? h.substring(1) : h;
    }
}
