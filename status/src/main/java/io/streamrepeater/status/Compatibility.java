package io.streamrepeater.status;

import java.util.List;

/**
 * Whether a channel's connected inputs could replace each other without surprises.
 *
 * @param inputsMatch true when every compared property agrees (vacuously true with fewer than two inputs)
 * @param mismatches human-readable differences, e.g. "resolution: primary 1280x720, backup 640x360"
 * @param warnings other risks, e.g. primary and backup arriving from one network address
 */
public record Compatibility(boolean inputsMatch, List<String> mismatches, List<String> warnings) {
    public Compatibility {
        mismatches = List.copyOf(mismatches);
        warnings = List.copyOf(warnings);
    }
}
