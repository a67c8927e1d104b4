package io.streamrepeater.cluster;

import java.util.Optional;

/**
 * What keeps a store outage from ending a show (after Patroni's failsafe mode). While the store does not answer, no
 * node can take a lease, so an owner that can still reach every other node keeps its channels: it asks each peer to
 * hold off, and a peer that answers promises not to take any lease for {@code leaseMs} from the moment the ask
 * arrived. Every ask all peers answered extends the owner's fences ({@link LeaseFence#extendByPeers}), exactly as a
 * renewal would: the peers' promise starts after the ask was sent, as the store's expiry starts after a renewal was
 * sent. An owner that reaches neither the store nor every peer gets no confirmation, and its fences run out as
 * before (it may be the one cut off).
 *
 * <p>Called by the {@link LeaseKeeper}: {@link #ask()} and {@link #latest()} from its failsafe watch, the others from
 * its rounds' thread.
 */
public interface PeerFailsafe {
    /** Every peer answered the ask sent at {@code sentAtNanos}; the last answer arrived at {@code answeredAtNanos}. */
    record Confirmation(long sentAtNanos, long answeredAtNanos) {}

    /**
     * The store does not answer, or a renewal is overdue, and this node holds leases: ask every peer (again) to hold
     * off.
     */
    void ask();

    /** The store answers again: stop asking, forget the confirmations. */
    void storeAnswers();

    /** The latest ask every peer answered since the store stopped answering, if any. */
    Optional<Confirmation> latest();

    /** True while this node has promised a peer that asked not to take any lease. */
    boolean holdingOff();

    /** No failsafe: an owner that cannot reach the store stops writing when its fences run out. */
    PeerFailsafe NONE = new PeerFailsafe() {
        @Override
        public void ask() {}

        @Override
        public void storeAnswers() {}

        @Override
        public Optional<Confirmation> latest() {
            return Optional.empty();
        }

        @Override
        public boolean holdingOff() {
            return false;
        }
    };
}
