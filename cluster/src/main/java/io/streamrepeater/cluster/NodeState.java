package io.streamrepeater.cluster;

import java.util.Locale;

/** A node as the others see it, from its heartbeats in the store. */
public enum NodeState {
    /** Heartbeat no older than the lease. */
    UP,
    /** Heartbeat older than the lease: crashed, stopped, or cut off from the store. */
    DOWN,
    /** Alive (as {@link #UP}) but being drained: it hands its channels to others and takes no new ones. */
    DRAINING;

    /** @return the name used in the API and log lines ({@code up}, {@code down}, {@code draining}) */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return true for {@link #UP} and {@link #DRAINING} */
    public boolean alive() {
        return this != DOWN;
    }

    /** Down if the heartbeat is older than the lease, else draining if flagged, else up. */
    static NodeState of(NodeHeartbeat heartbeat, long leaseMs) {
        if (heartbeat.heartbeatAgeMs() > leaseMs) {
            return DOWN;
        }
        return heartbeat.draining() ? DRAINING : UP;
    }
}
