package io.streamrepeater.relay;

/**
 * Whether this process may write to a channel's destinations at all. A single node always may; in a cluster only
 * the node holding the channel's lease may, and only until its lease could have been taken by another node (its
 * own monotonic clock decides, so a process resumed after a pause notices before it writes). The relay asks before
 * every connection attempt and every write; once it says no, the relay drops every destination connection at once,
 * without a goodbye (an unpublish command is a write too), and writes nothing more. It also drops them by itself when
 * the fence runs out while nothing is written (a node whose encoders are cut off too writes nothing that would ask):
 * {@link #nanosLeft()} says when to look again.
 */
@FunctionalInterface
public interface WriteFence {
    /** A fence that always allows: single-node mode. */
    WriteFence OPEN = () -> true;

    /** @return true if writing to the destinations is allowed now; called on the channel's event loop, per packet */
    boolean mayWrite();

    /**
     * @return how long writing stays allowed without a renewal, in nanoseconds on the fence's monotonic clock (zero
     *     or less once over); {@link Long#MAX_VALUE} for a fence that never runs out by itself
     */
    default long nanosLeft() {
        return Long.MAX_VALUE;
    }
}
