package io.streamrepeater.app;

import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.cluster.ClusterNode;
import io.streamrepeater.cluster.ClusterStore;
import io.streamrepeater.cluster.ClusterStoreException;
import io.streamrepeater.cluster.Lease;
import io.streamrepeater.cluster.LeaseFence;
import io.streamrepeater.cluster.LeaseKeeper;
import io.streamrepeater.cluster.LeaseListener;
import io.streamrepeater.cluster.LeaseLossReason;
import io.streamrepeater.cluster.NodeListener;
import io.streamrepeater.cluster.NodeRegistry;
import io.streamrepeater.cluster.NodeStatus;
import io.streamrepeater.cluster.PostgresClusterStore;
import io.streamrepeater.status.ClusterStatus;
import io.streamrepeater.status.InputState;
import io.streamrepeater.status.InputStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode on one node: its heartbeat ({@link NodeRegistry}), the leases of the channels it should relay
 * ({@link LeaseKeeper}), and the hand-over of each channel's relay to whichever node holds its lease
 * ({@link ChannelReconciler#own}, {@link ChannelReconciler#disown}). Every write to a destination goes through the
 * channel's {@link LeaseFence}, so a node whose lease may have been taken writes nothing, even before it hears so.
 *
 * <p>Which channels a node wants: those with a live input here. A node whose best live input of a channel is not the
 * channel's first input waits one lease period after that input came up before asking, so that at a cold start the
 * node with the primary encoder gets the channel (no forwarding hop for the active feed). A node keeps wanting a
 * channel it holds for one lease period after its last live input of it left (an encoder that reconnects at once does
 * not move the channel). A holder is never asked to give a channel up for a better one: a channel moves only when its
 * lease runs out (the owner died, was cut off, or stopped wanting it).
 */
final class ClusterCoordinator implements LeaseListener, NodeListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterCoordinator.class);

    private final ChannelReconciler channels;
    private final ClusterStore store;
    private final ClusterNode self;
    private final long leaseMs;
    private final NodeRegistry registry;
    private final LeaseKeeper keeper;

    /** Channel to when (nanoTime) this node first had a live input of it, since it last had none; keeper thread. */
    private final Map<String, Long> liveSince = new HashMap<>();
    /** Channel to when (nanoTime) this node last had a live input of it; keeper thread. */
    private final Map<String, Long> lastLive = new HashMap<>();
    /** Channel to this node's epoch while it relays the channel. */
    private final Map<String, Long> relaying = new ConcurrentHashMap<>();

    private static final long OWNERS_MAX_AGE_NANOS = Duration.ofMillis(500).toNanos();
    private volatile CachedLeases lastLeases = new CachedLeases(Long.MIN_VALUE / 2, List.of());

    ClusterCoordinator(ChannelReconciler channels, ClusterStore store, ClusterNode self, long leaseMs) {
        this.channels = channels;
        this.store = store;
        this.self = self;
        this.leaseMs = leaseMs;
        this.registry = new NodeRegistry(store, self, leaseMs, this);
        this.keeper = new LeaseKeeper(store, self.name(), leaseMs, this::wanted, this, System::nanoTime);
    }

    /**
     * Opens the shared store (statement timeout a quarter of the lease, so a round of the keeper ends in time during
     * an outage) and starts heartbeats and leases.
     */
    static ClusterCoordinator start(ChannelReconciler channels, String database, ClusterNode self, long leaseMs) {
        ClusterStore store = PostgresClusterStore.open(database, Duration.ofMillis(Math.max(250, leaseMs / 4)));
        ClusterCoordinator coordinator = new ClusterCoordinator(channels, store, self, leaseMs);
        coordinator.registry.start();
        coordinator.keeper.start();
        LOG.info(
                "event=cluster-joined node={} address={} clusterPort={} leaseMs={} marginMs={}",
                self.name(),
                self.address(),
                self.clusterPort(),
                leaseMs,
                LeaseFence.defaultMarginMs(leaseMs));
        return coordinator;
    }

    /** The channels this node should hold now; called by the keeper on its thread at every round. */
    Set<String> wanted() {
        long now = System.nanoTime();
        long leaseNanos = Duration.ofMillis(leaseMs).toNanos();
        Set<String> held = keeper.owned().keySet();
        Set<String> want = new HashSet<>();
        for (Map.Entry<String, LiveChannel> e : channels.channels().entrySet()) {
            String name = e.getKey();
            List<InputStatus> inputs = e.getValue().inputStatus();
            int best = Integer.MAX_VALUE;
            int first = Integer.MAX_VALUE;
            for (InputStatus input : inputs) {
                first = Math.min(first, input.priority());
                if (input.state() != InputState.DOWN) {
                    best = Math.min(best, input.priority());
                }
            }
            if (best != Integer.MAX_VALUE) {
                lastLive.put(name, now);
                long since = liveSince.computeIfAbsent(name, n -> now);
                if (held.contains(name) || best == first || now - since >= leaseNanos) {
                    want.add(name);
                }
            } else {
                liveSince.remove(name);
                Long last = lastLive.get(name);
                if (held.contains(name) && last != null && now - last < leaseNanos) {
                    want.add(name);
                }
            }
        }
        liveSince.keySet().retainAll(channels.channels().keySet());
        lastLive.keySet().retainAll(channels.channels().keySet());
        return want;
    }

    @Override
    public void acquired(String channel, long epoch) {
        LeaseFence fence = keeper.fence(channel);
        if (channels.own(channel, () -> fence.mayWrite(epoch))) {
            relaying.put(channel, epoch);
            channels.channels().get(channel).recordLeaseEvent(true, self.name(), "epoch " + epoch);
        }
    }

    @Override
    public void lost(String channel, long epoch, LeaseLossReason reason) {
        relaying.remove(channel);
        channels.disown(channel, "lease " + epoch + " " + reason.label());
        LiveChannel live = channels.channels().get(channel);
        if (live != null) {
            live.recordLeaseEvent(false, self.name(), "epoch " + epoch + " " + reason.label());
        }
    }

    @Override
    public void up(NodeStatus node) {
        LOG.info(
                "event=node-up node={} address={} state={}",
                node.name(),
                node.node().address(),
                node.state());
    }

    @Override
    public void down(NodeStatus node) {
        LOG.warn("event=node-down node={} lastHeartbeatAgeMs={}", node.name(), node.lastHeartbeatAgeMs());
    }

    /** This node's name. */
    String node() {
        return self.name();
    }

    /** Every node as of the last heartbeat round. */
    List<NodeStatus> nodes() {
        return registry.nodes();
    }

    /**
     * The cluster for the API: every node and every channel's lease.
     *
     * @throws IllegalStateException when the store does not answer
     */
    ClusterStatus status() {
        List<ClusterStatus.Node> nodes = nodes().stream()
                .map(n -> new ClusterStatus.Node(
                        n.name(),
                        n.node().address(),
                        n.state().label(),
                        n.lastHeartbeatAgeMs(),
                        n.node().version()))
                .toList();
        List<ClusterStatus.ChannelLease> leases = leases().stream()
                .map(l -> new ClusterStatus.ChannelLease(l.channel(), l.owner(), l.epoch(), l.remainingMs()))
                .toList();
        return new ClusterStatus(self.name(), nodes, leases);
    }

    /**
     * Every channel's lease as the store holds it now.
     *
     * @throws IllegalStateException when the store does not answer (the message says so)
     */
    List<Lease> leases() {
        try {
            List<Lease> leases = store.leases();
            lastLeases = new CachedLeases(System.nanoTime(), leases);
            return leases;
        } catch (ClusterStoreException e) {
            throw new IllegalStateException("the cluster's store does not answer: " + e.getMessage(), e);
        }
    }

    /**
     * The node relaying each channel, for status snapshots: the store's held leases, read at most every 500 ms; while
     * the store does not answer, the last answer, corrected by what this node itself relays.
     */
    Map<String, String> owners() {
        CachedLeases cached = lastLeases;
        List<Lease> leases = cached.leases();
        if (System.nanoTime() - cached.readAtNanos() > OWNERS_MAX_AGE_NANOS) {
            try {
                leases = leases();
            } catch (IllegalStateException storeDown) {
                // keep the last answer
            }
        }
        Map<String, String> owners = new HashMap<>();
        for (Lease lease : leases) {
            if (lease.held()) {
                owners.put(lease.channel(), lease.owner());
            }
        }
        for (String channel : relaying.keySet()) {
            owners.put(channel, self.name());
        }
        return owners;
    }

    private record CachedLeases(long readAtNanos, List<Lease> leases) {}

    /** Channel to epoch of the channels this node relays now. */
    Map<String, Long> relaying() {
        return Map.copyOf(relaying);
    }

    /** Stops heartbeats and leases without releasing anything: the others take over when the leases run out. */
    @Override
    public void close() {
        keeper.close();
        registry.close();
        store.close();
    }
}
