package io.streamrepeater.cluster;

import java.util.Locale;

/** Why a node's tenure of a channel ended. */
public enum LeaseLossReason {
    /** The store refused the renewal: the lease expired there, or another node holds it now. */
    RENEW_REFUSED,
    /** No renewal succeeded in time (store unreachable or too slow): the fence ran out on the node's clock. */
    FENCE_EXPIRED,
    /** The node gave it up: the channel is no longer one it wants (drain, channel removed). */
    RELEASED;

    /** @return the kebab-case name used in log lines and events ({@code renew-refused}) */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
