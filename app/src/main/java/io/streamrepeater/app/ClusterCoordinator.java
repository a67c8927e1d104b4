package io.streamrepeater.app;

import io.netty.channel.EventLoopGroup;
import io.streamrepeater.app.cluster.ClusterLinkGate;
import io.streamrepeater.app.cluster.ClusterLinkListener;
import io.streamrepeater.app.cluster.FailsafeProbe;
import io.streamrepeater.app.cluster.InputForwarding;
import io.streamrepeater.app.cluster.LinkKey;
import io.streamrepeater.app.cluster.TenureFence;
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
import io.streamrepeater.cluster.PeerFailsafe;
import io.streamrepeater.cluster.PostgresClusterStore;
import io.streamrepeater.relay.OutboundConnector;
import io.streamrepeater.status.ClusterStatus;
import io.streamrepeater.status.InputStatus;
import java.net.InetSocketAddress;
import java.time.Clock;
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
 * Which channels it asks for is {@link ChannelWants}' rule; during a store outage {@link FailsafeProbe} keeps what it
 * holds on its peers' word.
 */
final class ClusterCoordinator implements LeaseListener, NodeListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterCoordinator.class);

    private final ChannelReconciler channels;
    private final ClusterStore store;
    private final ClusterNode self;
    private final long leaseMs;
    private final NodeRegistry registry;
    private final LeaseKeeper keeper;

    private final ChannelWants wants;
    private final LeaseBook leases;
    /** Channel to this node's epoch while it relays the channel. */
    private final Map<String, Long> relaying = new ConcurrentHashMap<>();

    /** Asks the encoders publishing on this node to move to another one; how many were asked. */
    @FunctionalInterface
    interface EncoderMover {
        /** Enhanced RTMP reconnect request to {@code rtmp://host:rtmpPort/APP}, to the encoders that understand it. */
        int askToMove(String host, int rtmpPort, String description);
    }

    /** What the cluster link needs: the key, and where and how to connect and listen. */
    record Link(
            LinkKey key,
            OutboundConnector connector,
            String bindHost,
            EventLoopGroup boss,
            EventLoopGroup workers,
            boolean epoll) {}

    private final InputForwarding forwarding;
    private final ClusterMetrics metrics;
    private final DrainHandover drain;
    /** Leases given up of this node's accord are released only after a clean close (keeper thread). */
    private final CleanRelease release;

    private final NodeEvents events;
    private volatile ClusterLinkListener linkListener;
    /** Asks the peers to hold off during a store outage, and answers their asks; null without a cluster port. */
    private final FailsafeProbe failsafe;

    private ClusterCoordinator(
            ChannelReconciler channels,
            ClusterStore store,
            ClusterNode self,
            long leaseMs,
            Link link,
            PublishAdmission admission,
            EncoderMover encoders) {
        this.channels = channels;
        this.store = store;
        this.self = self;
        this.leaseMs = leaseMs;
        this.registry = new NodeRegistry(store, self, leaseMs, this);
        this.wants = new ChannelWants(leaseMs);
        this.leases = new LeaseBook(store);
        this.failsafe = self.clusterPort() == 0
                ? null
                : FailsafeProbe.open(
                        self.name(),
                        link.bindHost(),
                        self.clusterPort(),
                        link.key(),
                        leaseMs,
                        this::failsafePeers,
                        Clock.systemUTC());
        this.keeper = new LeaseKeeper(
                store,
                self.name(),
                leaseMs,
                this::wanted,
                this,
                System::nanoTime,
                failsafe == null ? PeerFailsafe.NONE : failsafe);
        this.metrics = new ClusterMetrics(this::alive);
        this.forwarding = new InputForwarding(
                self.name(),
                link.key(),
                link.connector(),
                new InputForwarding.View(this::owners, this::nodesByName, channels::channels));
        this.events = new NodeEvents(self.name(), channels::channels, registry::nodes, encoders);
        this.drain = new DrainHandover(self.name(), admission, this::closeCleanly, events);
        this.release = new CleanRelease(self.name(), this::closeCleanly);
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
            PublishAdmission admission,
            EncoderMover encoders) {
        ClusterStore store = PostgresClusterStore.open(database, Duration.ofMillis(Math.max(250, leaseMs / 4)));
        ClusterCoordinator coordinator =
                new ClusterCoordinator(channels, store, self, leaseMs, link, admission, encoders);
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
        coordinator.forwarding.start(Math.max(100, leaseMs / 3));
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
     * The peers a store-outage failsafe must reach: every other node alive at the last heartbeat round the store
     * answered (a node that was already down cannot take a lease while the store is down either).
     */
    private Map<String, InetSocketAddress> failsafePeers() {
        Map<String, InetSocketAddress> peers = new HashMap<>();
        for (NodeStatus n : registry.nodes()) {
            if (!n.name().equals(self.name()) && n.state().alive()) {
                peers.put(
                        n.name(),
                        new InetSocketAddress(n.node().address(), n.node().clusterPort()));
            }
        }
        return peers;
    }

    private Map<String, ClusterNode> nodesByName() {
        Map<String, ClusterNode> nodes = new HashMap<>();
        for (NodeStatus n : registry.nodes()) {
            nodes.put(n.name(), n.node());
        }
        return nodes;
    }

    private boolean draining() {
        return registry.nodes().stream().anyMatch(n -> n.name().equals(self.name()) && n.state() == NodeState.DRAINING);
    }

    /** The channels this node should hold now; called by the keeper on its thread at every round. */
    Set<String> wanted() {
        if (draining()) {
            return drain.stillWanted(keeper.owned().keySet());
        }
        drain.notDraining();
        Map<String, List<InputStatus>> inputs = new HashMap<>();
        channels.channels().forEach((name, live) -> inputs.put(name, live.inputStatus()));
        // a peer whose store does not answer keeps its channels on this node's word: take none meanwhile
        boolean holdingOff = failsafe != null && failsafe.holdingOff();
        Set<String> heldElsewhere = new HashSet<>(owners().keySet());
        heldElsewhere.removeAll(relaying.keySet());
        long now = System.nanoTime();
        Set<String> want = wants.wanted(inputs, keeper.owned().keySet(), heldElsewhere, holdingOff, now);
        Set<String> heldBackups = keeper.owned().keySet().stream()
                .filter(LeaseNames::isBackupIngests)
                .map(LeaseNames::channelOf)
                .collect(java.util.stream.Collectors.toSet());
        Set<String> withBackups = inputs.keySet().stream()
                .filter(name -> BackupIngestRelays.has(channels.configInForce(name)))
                .collect(java.util.stream.Collectors.toSet());
        wants.backupIngestsWanted(inputs, withBackups, relaying.keySet(), heldElsewhere, heldBackups, holdingOff, now)
                .forEach(c -> want.add(LeaseNames.backupIngestsOf(c)));
        return release.keep(want, keeper.owned().keySet());
    }

    /**
     * Before a lease is given up (a drain, or no longer wanted): the channel's destinations, or the backup ingests this
     * node pushes, are unpublished and closed.
     */
    private io.netty.util.concurrent.Future<Void> closeCleanly(String lease) {
        return LeaseNames.isBackupIngests(lease)
                ? channels.backupIngests().close(LeaseNames.channelOf(lease))
                : channels.closeBeforeRelease(lease);
    }

    /**
     * Registers the cluster's meters ({@link ClusterMetrics}: node up, channels relayed, lease changes, renew latency,
     * forwarding).
     */
    void bindMetrics(io.micrometer.core.instrument.MeterRegistry meterRegistry) {
        metrics.bind(
                meterRegistry,
                registry.nodes().stream().map(NodeStatus::name).toList(),
                relaying,
                forwarding.metrics());
    }

    @Override
    public void acquired(String channel, long epoch) {
        metrics.leaseChanged("acquired");
        LeaseFence fence = keeper.fence(channel);
        if (LeaseNames.isBackupIngests(channel)) {
            String name = LeaseNames.channelOf(channel);
            if (channels.backupIngests()
                    .own(channels.configInForce(name), channels.channels().get(name), new TenureFence(fence, epoch))) {
                channels.channels().get(name).recordLeaseEvent(true, self.name(), "backup ingests, epoch " + epoch);
            }
            return;
        }
        if (channels.own(channel, new TenureFence(fence, epoch))) {
            relaying.put(channel, epoch);
            channels.channels().get(channel).recordLeaseEvent(true, self.name(), "epoch " + epoch);
        }
    }

    @Override
    public void lost(String channel, long epoch, LeaseLossReason reason) {
        metrics.leaseChanged(reason.label());
        if (LeaseNames.isBackupIngests(channel)) {
            String name = LeaseNames.channelOf(channel);
            channels.backupIngests().disown(name, "backup-ingests lease " + epoch + " " + reason.label());
            LiveChannel live = channels.channels().get(name);
            if (live != null) {
                live.recordLeaseEvent(false, self.name(), "backup ingests, epoch " + epoch + " " + reason.label());
            }
            return;
        }
        relaying.remove(channel);
        channels.disown(channel, "lease " + epoch + " " + reason.label());
        LiveChannel live = channels.channels().get(channel);
        if (live != null) {
            live.recordLeaseEvent(false, self.name(), "epoch " + epoch + " " + reason.label());
        }
    }

    @Override
    public void renewed(String channel, long latencyNanos) {
        metrics.renewed(latencyNanos);
    }

    private boolean alive(String node) {
        return registry.nodes().stream()
                .anyMatch(n -> n.name().equals(node) && n.state().alive());
    }

    @Override
    public void up(NodeStatus node) {
        metrics.nodeSeen(node.name());
        events.up(node);
    }

    @Override
    public void down(NodeStatus node) {
        metrics.nodeSeen(node.name());
        events.down(node);
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
                LOG.info("event={} node={} by={}", draining ? "drain-requested" : "undrain", node, self.name());
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
        return leases.status(self.name(), nodes());
    }

    /**
     * Every channel's lease as the store holds it now.
     *
     * @throws IllegalStateException when the store does not answer (the message says so)
     */
    List<Lease> leases() {
        return leases.read();
    }

    /** The node relaying each channel, for status snapshots ({@link LeaseBook#owners}). */
    Map<String, String> owners() {
        return leases.owners(self.name(), relaying.keySet());
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
        forwarding.close(leaseMs);
        ClusterLinkListener l = linkListener;
        if (l != null) {
            l.close();
        }
        keeper.close();
        if (failsafe != null) {
            failsafe.close();
        }
        registry.close();
        store.close();
    }
}
