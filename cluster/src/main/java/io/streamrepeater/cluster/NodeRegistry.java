package io.streamrepeater.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's heartbeat and its view of every node: every {@code leaseMs / 3} it writes its heartbeat, reads all
 * nodes' heartbeat ages (by the database's clock) and reports transitions to a {@link NodeListener}: a node is
 * {@link NodeState#DOWN down} once its heartbeat is older than {@code leaseMs}, {@link NodeState#DRAINING draining}
 * if flagged, {@link NodeState#UP up} otherwise.
 *
 * <p>A node first seen alive is reported up; a node first seen down is not reported (it was never up as far as
 * this node knows). While the store does not answer, nothing is reported and {@link #nodes()} keeps the last view:
 * from a store it cannot reach, a node cannot tell who is alive.
 *
 * <p>Threading: store and listener calls run on one daemon thread of the registry's own, one round at a time
 * (fixed delay), each bounded by the store's statement timeout; {@link #nodes()} may be called from any thread.
 */
public final class NodeRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRegistry.class);

    private final ClusterStore store;
    private final ClusterNode self;
    private final long leaseMs;
    private final NodeListener listener;
    private final ScheduledExecutorService rounds;
    /** Last state of each node seen; only the registry's thread touches it. */
    private final Map<String, NodeState> known = new HashMap<>();

    private volatile List<NodeStatus> snapshot = List.of();
    private boolean storeFailing;
    private boolean started;

    /**
     * @param store the shared store
     * @param self what this node writes in its heartbeat
     * @param leaseMs the lease: heartbeats every third of it, down when older than it
     * @param listener told of nodes going up and down
     */
    public NodeRegistry(ClusterStore store, ClusterNode self, long leaseMs, NodeListener listener) {
        this.store = Objects.requireNonNull(store, "store");
        this.self = Objects.requireNonNull(self, "self");
        if (leaseMs <= 0) {
            throw new IllegalArgumentException("leaseMs must be positive, not " + leaseMs);
        }
        this.leaseMs = leaseMs;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.rounds = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "node-registry-" + self.name());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the rounds: the first now, then every {@code leaseMs / 3} after the end of the previous one. */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("node registry of node " + self.name() + " already started");
        }
        started = true;
        rounds.scheduleWithFixedDelay(this::round, 0, heartbeatPeriodMs(), TimeUnit.MILLISECONDS);
    }

    /** @return the time between two heartbeats: {@code leaseMs / 3} */
    public long heartbeatPeriodMs() {
        return Math.max(1, leaseMs / 3);
    }

    /** @return every node known to the store, by name, as of the registry's last successful round */
    public List<NodeStatus> nodes() {
        return snapshot;
    }

    /** Stops heartbeating (waiting at most {@code leaseMs} for a round in progress); the others will see it down. */
    @Override
    public void close() {
        rounds.shutdown();
        try {
            if (!rounds.awaitTermination(leaseMs, TimeUnit.MILLISECONDS)) {
                rounds.shutdownNow();
                LOG.warn("event=node-registry-stop-late node={} waitedMs={}", self.name(), leaseMs);
            }
        } catch (InterruptedException e) {
            rounds.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void round() {
        try {
            store.heartbeat(self);
            List<NodeHeartbeat> heartbeats = store.nodes();
            if (storeFailing) {
                storeFailing = false;
                LOG.info("event=node-registry-store-recovered node={}", self.name());
            }
            update(heartbeats);
        } catch (ClusterStoreException e) {
            if (!storeFailing) {
                storeFailing = true;
                LOG.warn("event=node-registry-store-failed node={} error={}", self.name(), e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.error("event=node-registry-round-failed node={} error={}", self.name(), e.toString(), e);
        }
    }

    private void update(List<NodeHeartbeat> heartbeats) {
        List<NodeStatus> statuses = new ArrayList<>();
        for (NodeHeartbeat heartbeat : heartbeats) {
            NodeStatus status =
                    new NodeStatus(heartbeat.node(), NodeState.of(heartbeat, leaseMs), heartbeat.heartbeatAgeMs());
            statuses.add(status);
            NodeState before = known.put(status.name(), status.state());
            boolean wasAlive = before != null && before.alive();
            if (status.state().alive() && !wasAlive) {
                LOG.info(
                        "event=node-up node={} seenBy={} address={} version={}",
                        status.name(),
                        self.name(),
                        status.node().address(),
                        status.node().version());
                notify(() -> listener.up(status));
            } else if (!status.state().alive() && wasAlive) {
                LOG.warn(
                        "event=node-down node={} seenBy={} lastHeartbeatAgeMs={}",
                        status.name(),
                        self.name(),
                        status.lastHeartbeatAgeMs());
                notify(() -> listener.down(status));
            }
        }
        snapshot = List.copyOf(statuses);
    }

    private void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.error("event=node-listener-failed node={} error={}", self.name(), e.toString(), e);
        }
    }
}
