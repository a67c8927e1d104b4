package io.streamrepeater.status;

/** Kinds of channel events. */
public enum ChannelEventType {
    INPUT_UP,
    INPUT_DOWN,
    INPUT_HEALTHY,
    SWITCH,
    REHEARSAL_STARTED,
    REHEARSAL_ENDED,
    /** A destination changed state (connecting, live, retrying, failed, disabled). */
    DESTINATION_STATE,
    /** Cluster mode: this node took the channel's lease ({@code to} the node, {@code reason} the epoch). */
    LEASE_ACQUIRED,
    /** Cluster mode: this node's lease of the channel ended ({@code from} the node, {@code reason} why). */
    LEASE_LOST,
    /** Cluster mode: a node's heartbeat came back or it joined ({@code to} the node). */
    NODE_UP,
    /** Cluster mode: a node's heartbeat is older than the lease ({@code to} the node, {@code reason} how old). */
    NODE_DOWN,
    /** Cluster mode: the node relaying the channel began to drain ({@code to} the node). */
    DRAIN_STARTED,
    /** Cluster mode: the draining node closed the channel's destinations and gave the channel up ({@code to} it). */
    DRAIN_FINISHED,
    /**
     * A destination's platform verdict on an input changed ({@code destination}, {@code input}, {@code from} and
     * {@code to} the verdicts {@code ok} / {@code warning} / {@code violation}, {@code reason} the rules broken).
     */
    PREFLIGHT_VERDICT
}
