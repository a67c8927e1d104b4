package io.streamrepeater.control.config;

/**
 * The {@code relay:} section of a channel: how its destinations are supervised.
 *
 * @param retryMaxMs the cap of the reconnect backoff: after a drop the first retry comes within 1 s,
 *     later ones within 2, 4, 8… s up to this ceiling (default 30000, 1000..600000); a destination in
 *     {@code fallback} mode that runs on its backup address probes the primary this often as well
 * @param stallTimeoutMs a destination that stops acknowledging what it received for this long, while we
 *     keep sending, counts as dropped and is reconnected (default 10000, 1000..300000)
 */
public record RelayConfig(int retryMaxMs, int stallTimeoutMs) {
    public static final int DEFAULT_RETRY_MAX_MS = 30_000;
    /** The first retry ceiling is 1 s: a smaller cap would make it slower than the first retry. */
    public static final int MIN_RETRY_MAX_MS = 1_000;
    /** Above ten minutes a platform that came back would wait too long for its stream. */
    public static final int MAX_RETRY_MAX_MS = 600_000;

    public static final int DEFAULT_STALL_TIMEOUT_MS = 10_000;
    /** Below a second, an ordinary pause of a busy peer would count as a stall. */
    public static final int MIN_STALL_TIMEOUT_MS = 1_000;

    public static final int MAX_STALL_TIMEOUT_MS = 300_000;

    public RelayConfig {
        ConfigRules.requireBetween("retryMaxMs", retryMaxMs, MIN_RETRY_MAX_MS, MAX_RETRY_MAX_MS);
        ConfigRules.requireBetween("stallTimeoutMs", stallTimeoutMs, MIN_STALL_TIMEOUT_MS, MAX_STALL_TIMEOUT_MS);
    }

    /** @return a 30 s backoff cap and a 10 s stall timeout */
    public static RelayConfig defaults() {
        return new RelayConfig(DEFAULT_RETRY_MAX_MS, DEFAULT_STALL_TIMEOUT_MS);
    }
}
