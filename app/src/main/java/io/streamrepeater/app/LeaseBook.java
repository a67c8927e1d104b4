package io.streamrepeater.app;

import io.streamrepeater.cluster.ClusterStore;
import io.streamrepeater.cluster.ClusterStoreException;
import io.streamrepeater.cluster.Lease;
import io.streamrepeater.cluster.NodeStatus;
import io.streamrepeater.status.ClusterStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every channel's lease as this node last read it from the store (cluster mode): for the API, for status snapshots
 * (which node relays each channel) and for forwarding. Reads are cached for 500 ms; while the store does not answer,
 * the last answer stands. Thread-safe.
 */
final class LeaseBook {
    private static final long MAX_AGE_NANOS = Duration.ofMillis(500).toNanos();

    private record Read(long atNanos, List<Lease> leases) {}

    private final ClusterStore store;
    private volatile Read last = new Read(Long.MIN_VALUE / 2, List.of());

    LeaseBook(ClusterStore store) {
        this.store = store;
    }

    /**
     * Every channel's lease as the store holds it now.
     *
     * @throws IllegalStateException when the store does not answer (the message says so)
     */
    List<Lease> read() {
        try {
            List<Lease> leases = store.leases();
            last = new Read(System.nanoTime(), leases);
            return leases;
        } catch (ClusterStoreException e) {
            throw new IllegalStateException("the cluster's store does not answer: " + e.getMessage(), e);
        }
    }

    /**
     * The node relaying each channel: the store's held leases, read at most every 500 ms (while the store does not
     * answer, the last answer), corrected by what this node itself relays.
     */
    Map<String, String> owners(String self, Set<String> relayedHere) {
        Read cached = last;
        List<Lease> leases = cached.leases();
        if (System.nanoTime() - cached.atNanos() > MAX_AGE_NANOS) {
            try {
                leases = read();
            } catch (IllegalStateException storeDown) {
                // keep the last answer
            }
        }
        Map<String, String> owners = new HashMap<>();
        for (Lease lease : leases) {
            if (lease.held() && !LeaseNames.isBackupIngests(lease.channel())) {
                owners.put(lease.channel(), lease.owner());
            }
        }
        for (String channel : relayedHere) {
            owners.put(channel, self);
        }
        return owners;
    }

    /**
     * The cluster for the API: every node as of the last heartbeat round and every channel's lease as the store holds
     * it now (the backup-ingest leases are not channels: each names its node in its channel's row).
     *
     * @throws IllegalStateException when the store does not answer
     */
    ClusterStatus status(String self, List<NodeStatus> nodes) {
        List<ClusterStatus.Node> rows = nodes.stream()
                .map(n -> new ClusterStatus.Node(
                        n.name(),
                        n.node().address(),
                        n.state().label(),
                        n.lastHeartbeatAgeMs(),
                        n.node().version()))
                .toList();
        List<Lease> leases = read();
        Map<String, String> backupPushers = new HashMap<>();
        for (Lease lease : leases) {
            if (lease.held() && LeaseNames.isBackupIngests(lease.channel())) {
                backupPushers.put(LeaseNames.channelOf(lease.channel()), lease.owner());
            }
        }
        List<ClusterStatus.ChannelLease> channels = leases.stream()
                .filter(l -> !LeaseNames.isBackupIngests(l.channel()))
                .map(l -> new ClusterStatus.ChannelLease(
                        l.channel(), l.owner(), l.epoch(), l.remainingMs(), backupPushers.get(l.channel())))
                .toList();
        return new ClusterStatus(self, rows, channels);
    }
}
