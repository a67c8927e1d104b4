package io.streamrepeater.cluster;

/**
 * Told by a {@link LeaseKeeper} when its node gains or loses a channel. Called on the keeper's thread, one call at
 * a time; an implementation hands work elsewhere and returns quickly (it delays the keeper's renewals). A
 * notification may come later than the change itself: {@link LeaseFence#mayWrite()} is what decides writes.
 */
public interface LeaseListener {
    /** The node holds the channel from now on, with this fencing epoch. */
    void acquired(String channel, long epoch);

    /** The node's tenure {@code epoch} of the channel is over; its fence already says no. */
    void lost(String channel, long epoch, LeaseLossReason reason);

    /** The store renewed the channel's lease, answering {@code latencyNanos} after the renewal was sent. */
    default void renewed(String channel, long latencyNanos) {}
}
