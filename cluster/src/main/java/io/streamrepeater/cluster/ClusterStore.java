package io.streamrepeater.cluster;

import java.util.List;
import java.util.Optional;

/**
 * The store port of cluster mode: nodes' heartbeats and channels' leases, shared by every node.
 *
 * <p>Every expiry and age is measured by the store's own clock, never by a node's wall clock: nodes' clocks may
 * disagree, the store's is the one they share. Every call is bounded in time (the implementation's statement
 * timeout) and throws {@link ClusterStoreException} when the store does not answer in time. Implementations are
 * safe for use by several threads.
 */
public interface ClusterStore extends AutoCloseable {

    /** Records that the node is alive now (inserts it on its first heartbeat); keeps its draining flag. */
    void heartbeat(ClusterNode node);

    /** Sets or clears a node's draining flag; false if no such node has ever sent a heartbeat. */
    boolean setDraining(String node, boolean draining);

    /** @return every node that ever sent a heartbeat, by name */
    List<NodeHeartbeat> nodes();

    /**
     * Takes the channel's lease for {@code leaseMs} if it is free, expired, or already this node's, in one atomic
     * statement. A new tenure gets the previous epoch + 1 (1 for a channel never leased); the node's own live
     * lease keeps its epoch and is extended.
     *
     * @return the lease now held by {@code node}, or empty if another node holds it
     */
    Optional<Lease> acquire(String channel, String node, long leaseMs);

    /**
     * Extends the lease to {@code leaseMs} from now, only while {@code node} still holds it with {@code epoch}: not
     * released, and not taken by another node since (the epoch would have changed). A tenure that expired while
     * nobody took it may be renewed: no other node can have written under it, and its owner may have kept its
     * channel through a store outage on its peers' word ({@link PeerFailsafe}).
     *
     * @return the extended lease, or empty if the node no longer holds that tenure
     */
    Optional<Lease> renew(String channel, String node, long epoch, long leaseMs);

    /**
     * Ends the node's tenure now (planned: drain, a channel no longer wanted); the row keeps owner and epoch so
     * the next owner gets epoch + 1.
     *
     * @return true if the node held that tenure until now
     */
    boolean release(String channel, String node, long epoch);

    /** @return every channel's lease, held or not (an expired one has {@code remainingMs} 0), by channel */
    List<Lease> leases();

    /** Releases the store's connections; no lease is released. */
    @Override
    void close();
}
