package io.streamrepeater.status.platform;

import java.util.List;

/**
 * One input of a channel judged by one destination's platform rules.
 *
 * @param verdict the worst level of {@code findings} ({@link Finding#OK} when none)
 * @param findings every rule checked, ok ones included
 */
public record InputVerdict(String input, String verdict, List<Finding> findings) {
    public InputVerdict {
        findings = List.copyOf(findings);
    }
}
