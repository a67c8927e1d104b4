package io.streamrepeater.status;

import java.util.List;

/**
 * The cluster as one node sees it ({@code GET /api/v1/cluster}).
 *
 * @param node the name of the node that answers
 * @param nodes every node that ever sent a heartbeat, by name
 * @param channels every channel's lease, by channel
 */
public record ClusterStatus(String node, List<Node> nodes, List<ChannelLease> channels) {
    public ClusterStatus {
        nodes = List.copyOf(nodes);
        channels = List.copyOf(channels);
    }

    /**
     * One node.
     *
     * @param state {@code up}, {@code down} (heartbeat older than the lease) or {@code draining}
     * @param lastHeartbeatAgeMs by the store's clock
     */
    public record Node(String name, String address, String state, long lastHeartbeatAgeMs, String version) {}

    /**
     * One channel's lease.
     *
     * @param owner the node that holds (or last held) it; null if never leased
     * @param epoch the fencing epoch, one more at every change of owner
     * @param leaseRemainingMs by the store's clock; 0 once expired or released
     * @param backupIngests the node that pushes the channel's backup ingests (destinations' {@code backupUrl}, pushed
     *     by another node than the owner), null if no node holds that lease now
     */
    public record ChannelLease(String name, String owner, long epoch, long leaseRemainingMs, String backupIngests) {}
}
