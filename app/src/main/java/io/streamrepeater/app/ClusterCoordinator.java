package io.streamrepeater.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import io.streamrepeater.app.cluster.ClusterLinkGate;
import io.streamrepeater.app.cluster.ClusterLinkListener;
import io.streamrepeater.app.cluster.ForwardingMetrics;
import io.streamrepeater.app.cluster.InputForwarder;
import io.streamrepeater.app.cluster.LinkKey;
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
import io.streamrepeater.cluster.NodeState;
import io.streamrepeater.cluster.NodeStatus;
import io.streamrepeater.cluster.PostgresClusterStore;
import io.streamrepeater.relay.OutboundConnector;
import io.streamrepeater.status.ClusterStatus;
import io.streamrepeater.status.InputState;
import io.streamrepeater.status.InputStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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

    /** What the cluster link needs: the key, and where and how to connect and listen. */
    record Link(
            LinkKey key,
            OutboundConnector connector,
            String bindHost,
            EventLoopGroup boss,
            EventLoopGroup workers,
            boolean epoll) {}

    private final Link link;
    /** Forwarders of this node's inputs to the owners of their channels, by "channel/input"; forwarding thread. */
    private final Map<String, Forwarding> forwarders = new HashMap<>();

    private final ForwardingMetrics forwardingMetrics = new ForwardingMetrics();
    /** Lease changes of this node by reason ({@code acquired}, {@code renew-refused}, {@code fence-expired}...). */
    private final Map<String, AtomicLong> leaseChanges = new ConcurrentHashMap<>();

    private volatile MeterRegistry meters;
    /** Every node seen up or down, for {@code streamrepeater_cluster_node_up}. */
    private final Set<String> knownNodes = ConcurrentHashMap.newKeySet();

    private volatile MultiGauge nodeUp;
    private final ScheduledExecutorService forwarding;
    private volatile ClusterLinkListener linkListener;

    /** One input forwarded to the owner at {@code host:port}; {@code started} completes with the forwarder. */
    private record Forwarding(LiveChannel channel, String host, int port, Future<InputForwarder> started) {}

    private final PublishAdmission admission;

    ClusterCoordinator(
            ChannelReconciler channels,
            ClusterStore store,
            ClusterNode self,
            long leaseMs,
            Link link,
            PublishAdmission admission) {
        this.admission = admission;
        this.channels = channels;
        this.store = store;
        this.self = self;
        this.leaseMs = leaseMs;
        this.link = link;
        this.registry = new NodeRegistry(store, self, leaseMs, this);
        this.keeper = new LeaseKeeper(store, self.name(), leaseMs, this::wanted, this, System::nanoTime);
        this.forwarding = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cluster-forwarding-" + self.name());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Opens the shared store (statement timeout a quarter of the lease, so a round of the keeper ends in time during
     * an outage), listens for the other nodes' forwarded inputs on the cluster port (when it is not 0), and starts
     * heartbeats, leases and the forwarding of this node's inputs to the owners of their channels.
     */
    static ClusterCoordinator start(
            ChannelReconciler channels,
            String database,
            ClusterNode self,
            long leaseMs,
            Link link,
            PublishAdmission admission) {
        ClusterStore store = PostgresClusterStore.open(database, Duration.ofMillis(Math.max(250, leaseMs / 4)));
        ClusterCoordinator coordinator = new ClusterCoordinator(channels, store, self, leaseMs, link, admission);
        if (self.clusterPort() != 0) {
            // only channels this node relays take forwarded inputs: a late link to a former owner is refused
            coordinator.linkListener = ClusterLinkListener.bind(
                    link.boss(),
                    link.workers(),
                    link.epoll(),
                    link.bindHost(),
                    self.clusterPort(),
                    new ClusterLinkGate(
                            link.key(),
                            name -> coordinator.relaying.containsKey(name)
                                    ? channels.channels().get(name)
                                    : null,
                            Clock.systemUTC()));
        }
        coordinator.registry.start();
        coordinator.keeper.start();
        long period = Math.max(100, leaseMs / 3);
        coordinator.forwarding.scheduleWithFixedDelay(coordinator::forwardRound, period, period, TimeUnit.MILLISECONDS);
        LOG.info(
                "event=cluster-joined node={} address={} clusterPort={} leaseMs={} marginMs={}",
                self.name(),
                self.address(),
                self.clusterPort(),
                leaseMs,
                LeaseFence.defaultMarginMs(leaseMs));
        return coordinator;
    }

    /**
     * Channels this draining node has closed cleanly (every destination unpublished) and may now release; keeper
     * thread.
     */
    private final Set<String> drainedClosed = ConcurrentHashMap.newKeySet();
    /** Channels whose clean close for the drain has started; keeper thread. */
    private final Set<String> drainClosing = new HashSet<>();

    private boolean draining() {
        return registry.nodes().stream().anyMatch(n -> n.name().equals(self.name()) && n.state() == NodeState.DRAINING);
    }

    /**
     * Draining (planned maintenance): break before make. Each relayed channel's destinations are unpublished and
     * closed first; only then is its lease released (the keeper gives up what is not wanted), so the next owner
     * connects after the last frame from here. No channel is asked for while draining.
     */
    private Set<String> drainingWanted() {
        Set<String> keep = new HashSet<>();
        for (String channel : keeper.owned().keySet()) {
            if (drainedClosed.contains(channel)) {
                continue;
            }
            keep.add(channel);
            if (drainClosing.add(channel)) {
                LOG.info("event=drain-channel channel={} node={}", channel, self.name());
                channels.closeForDrain(channel).addListener(f -> drainedClosed.add(channel));
            }
        }
        if (keep.isEmpty() && !drainClosing.isEmpty() && !drainFinishedLogged) {
            drainFinishedLogged = true;
            LOG.info("event=drain-finished node={} channels={}", self.name(), drainClosing.size());
        }
        return keep;
    }

    private boolean drainFinishedLogged;

    /** The channels this node should hold now; called by the keeper on its thread at every round. */
    Set<String> wanted() {
        if (draining()) {
            if (admission.refusal() == null) {
                admission.refuse("node " + self.name() + " is draining: publish to another node of the cluster");
                LOG.info("event=publishes-refused node={} reason=draining", self.name());
            }
            return drainingWanted();
        }
        if (admission.refusal() != null) {
            admission.admit();
            LOG.info("event=publishes-taken node={}", self.name());
        }
        if (!drainClosing.isEmpty()) {
            LOG.info("event=undrained node={}", self.name());
            drainClosing.clear();
            drainedClosed.clear();
            drainFinishedLogged = false;
        }
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

    private void countLeaseChange(String reason) {
        leaseChanges.computeIfAbsent(reason, r -> {
            AtomicLong count = new AtomicLong();
            MeterRegistry registry = meters;
            if (registry != null) {
                registerLeaseChanges(registry, r, count);
            }
            return count;
        });
        leaseChanges.get(reason).incrementAndGet();
    }

    private static void registerLeaseChanges(MeterRegistry registry, String reason, AtomicLong count) {
        FunctionCounter.builder("streamrepeater_cluster_lease_changes", count, AtomicLong::get)
                .description("Channel leases this node gained (acquired) or lost, by reason, since start")
                .tag("reason", reason)
                .register(registry);
    }

    /**
     * Registers the cluster's meters: {@code streamrepeater_cluster_node_up{node}} (1 up or draining, 0 down, for every
     * node known to the store), {@code streamrepeater_cluster_channels_relayed}, {@code
     * streamrepeater_cluster_lease_changes_total{reason}} and the forwarding meters.
     */
    void bindMetrics(MeterRegistry registry) {
        this.registry.nodes().forEach(n -> knownNodes.add(n.name()));
        forwardingMetrics.bindTo(registry);
        Gauge.builder("streamrepeater_cluster_channels_relayed", relaying, Map::size)
                .description("Channels this node holds the lease of and relays")
                .register(registry);
        nodeUp = MultiGauge.builder("streamrepeater_cluster_node_up")
                .description("1 while a node's heartbeat is within the lease (up or draining), 0 once it is down")
                .register(registry);
        refreshNodeUp();
        leaseChanges.forEach((reason, count) -> registerLeaseChanges(registry, reason, count));
        meters = registry;
    }

    @Override
    public void acquired(String channel, long epoch) {
        countLeaseChange("acquired");
        LeaseFence fence = keeper.fence(channel);
        if (channels.own(channel, () -> fence.mayWrite(epoch))) {
            relaying.put(channel, epoch);
            channels.channels().get(channel).recordLeaseEvent(true, self.name(), "epoch " + epoch);
        }
    }

    @Override
    public void lost(String channel, long epoch, LeaseLossReason reason) {
        countLeaseChange(reason.label());
        relaying.remove(channel);
        channels.disown(channel, "lease " + epoch + " " + reason.label());
        LiveChannel live = channels.channels().get(channel);
        if (live != null) {
            live.recordLeaseEvent(false, self.name(), "epoch " + epoch + " " + reason.label());
        }
    }

    /** The node_up rows: one per node ever seen, each reading the registry's latest round when scraped. */
    private void refreshNodeUp() {
        MultiGauge gauge = nodeUp;
        if (gauge == null) {
            return;
        }
        gauge.register(
                knownNodes.stream()
                        .sorted()
                        .map(name -> MultiGauge.Row.of(Tags.of("node", name), this, c -> c.alive(name) ? 1 : 0))
                        .toList(),
                true);
    }

    private boolean alive(String node) {
        return registry.nodes().stream()
                .anyMatch(n -> n.name().equals(node) && n.state().alive());
    }

    @Override
    public void up(NodeStatus node) {
        if (knownNodes.add(node.name())) {
            refreshNodeUp();
        }
        LOG.info(
                "event=node-up node={} address={} state={}",
                node.name(),
                node.node().address(),
                node.state());
    }

    @Override
    public void down(NodeStatus node) {
        if (knownNodes.add(node.name())) {
            refreshNodeUp();
        }
        LOG.warn("event=node-down node={} lastHeartbeatAgeMs={}", node.name(), node.lastHeartbeatAgeMs());
    }

    /**
     * Sets or clears a node's draining flag in the store (any node may drain any node; the drained node acts on it at
     * its next heartbeat round).
     *
     * @return false if no node of that name ever joined
     * @throws IllegalStateException when the store does not answer
     */
    boolean setDraining(String node, boolean draining) {
        try {
            boolean known = store.setDraining(node, draining);
            if (known) {
                LOG.info("event={} node={} by={}", draining ? "drain-started" : "undrain", node, self.name());
            }
            return known;
        } catch (ClusterStoreException e) {
            throw new IllegalStateException("the cluster's store does not answer: " + e.getMessage(), e);
        }
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

    /**
     * One round of forwarding (its own thread): every input of a channel that another node relays is forwarded to
     * that node (an idle forwarder opens its link when the input's encoder connects here); nothing is forwarded for a
     * channel this node relays, or that nobody holds. Forwarded inputs of other nodes are never forwarded again.
     */
    private void forwardRound() {
        try {
            Map<String, String> owners = owners();
            Map<String, ClusterNode> nodes = new HashMap<>();
            for (NodeStatus n : registry.nodes()) {
                nodes.put(n.name(), n.node());
            }
            Set<String> keep = new HashSet<>();
            for (Map.Entry<String, LiveChannel> e : channels.channels().entrySet()) {
                String owner = owners.get(e.getKey());
                ClusterNode target = owner == null || owner.equals(self.name()) ? null : nodes.get(owner);
                if (target == null || target.clusterPort() == 0) {
                    continue;
                }
                for (InputStatus input : e.getValue().inputStatus()) {
                    if (input.node() != null) {
                        continue; // forwarded here by another node
                    }
                    String key = e.getKey() + "/" + input.name();
                    keep.add(key);
                    Forwarding f = forwarders.get(key);
                    if (f != null
                            && f.channel() == e.getValue()
                            && f.host().equals(target.address())
                            && f.port() == target.clusterPort()) {
                        continue;
                    }
                    if (f != null) {
                        stop(f);
                    }
                    forwarders.put(key, startForwarding(e.getValue(), input.name(), target));
                }
            }
            forwarders.entrySet().removeIf(f -> {
                if (keep.contains(f.getKey())) {
                    return false;
                }
                stop(f.getValue());
                return true;
            });
        } catch (RuntimeException e) {
            LOG.error("event=cluster-forwarding-round-failed node={} error={}", self.name(), e.toString(), e);
        }
    }

    private Forwarding startForwarding(LiveChannel channel, String input, ClusterNode owner) {
        Future<InputForwarder> started = InputForwarder.start(
                channel,
                input,
                self.name(),
                owner.address(),
                owner.clusterPort(),
                link.key(),
                link.connector(),
                PooledByteBufAllocator.DEFAULT,
                InputForwarder.LINK_SETTINGS,
                Clock.systemUTC());
        started.addListener(f -> {
            if (f.isSuccess()) {
                forwardingMetrics.add((InputForwarder) f.getNow());
            } else {
                LOG.warn(
                        "event=cluster-forward-failed channel={} input={} owner={} error={}",
                        channel.name(),
                        input,
                        owner.name(),
                        f.cause().toString());
            }
        });
        return new Forwarding(channel, owner.address(), owner.clusterPort(), started);
    }

    private void stop(Forwarding f) {
        f.started().addListener(done -> {
            if (done.isSuccess()) {
                InputForwarder forwarder = (InputForwarder) done.getNow();
                forwarder.stop();
                forwardingMetrics.remove(forwarder);
            }
        });
    }

    /** The forwarding counters ({@code streamrepeater_cluster_forwarded_*}). */
    ForwardingMetrics forwardingMetrics() {
        return forwardingMetrics;
    }

    /** The bound cluster port, 0 when the node does not listen for forwarded inputs. */
    int clusterPort() {
        ClusterLinkListener l = linkListener;
        return l == null ? 0 : l.port();
    }

    /**
     * Stops forwarding (links unpublished), the cluster port, heartbeats and leases, without releasing any lease: the
     * others take over when the leases run out.
     */
    @Override
    public void close() {
        forwarding.shutdown();
        try {
            forwarding.awaitTermination(leaseMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        forwarders.values().forEach(this::stop);
        forwarders.clear();
        ClusterLinkListener l = linkListener;
        if (l != null) {
            l.close();
        }
        keeper.close();
        registry.close();
        store.close();
    }
}
