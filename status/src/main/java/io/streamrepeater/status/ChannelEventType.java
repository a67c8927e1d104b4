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
    LEASE_LOST
}
