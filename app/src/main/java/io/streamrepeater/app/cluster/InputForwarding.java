package io.streamrepeater.app.cluster;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.Future;
import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.cluster.ClusterNode;
import io.streamrepeater.relay.OutboundConnector;
import io.streamrepeater.status.InputStatus;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode: forwards this node's inputs to the nodes that relay their channels, so each owner sees every live
 * input of its channel and the switch between them stays local. One round per period on its own thread: every input
 * of a channel another node relays gets an {@link InputForwarder} to that node (an idle forwarder opens its link when
 * the input's encoder connects here); a forwarder whose channel moved, or is now relayed here or by nobody, stops.
 * Inputs that other nodes forward here are never forwarded again.
 */
public final class InputForwarding implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InputForwarding.class);

    /**
     * What a round reads: who relays each channel (a channel nobody holds is absent), every known node by name, and
     * this node's running channels by name.
     */
    public record View(
            Supplier<Map<String, String>> owners,
            Supplier<Map<String, ClusterNode>> nodes,
            Supplier<Map<String, LiveChannel>> channels) {}

    /** One input forwarded to the owner at {@code host:port}; {@code started} completes with the forwarder. */
    private record Forwarding(LiveChannel channel, String host, int port, Future<InputForwarder> started) {}

    private final String self;
    private final LinkKey key;
    private final OutboundConnector connector;
    private final View view;
    private final ForwardingMetrics metrics = new ForwardingMetrics();
    /** Forwarders by "channel/input"; forwarding thread. */
    private final Map<String, Forwarding> forwarders = new HashMap<>();

    private final ScheduledExecutorService thread;

    /**
     * @param self this node's name (the forwarded publishes say where they come from)
     * @param key signs the links
     * @param connector opens the links
     * @param view the cluster as this node sees it
     */
    public InputForwarding(String self, LinkKey key, OutboundConnector connector, View view) {
        this.self = self;
        this.key = key;
        this.connector = connector;
        this.view = view;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "cluster-forwarding-" + self);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the rounds, one every {@code periodMs}. */
    public void start(long periodMs) {
        thread.scheduleWithFixedDelay(this::round, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /** The forwarding counters ({@code streamrepeater_cluster_forwarded_*}). */
    public ForwardingMetrics metrics() {
        return metrics;
    }

    /** One round; never throws (a throwing task would stop the scheduler's repetition). */
    private void round() {
        try {
            Map<String, String> owners = view.owners().get();
            Map<String, ClusterNode> nodes = view.nodes().get();
            Set<String> keep = new HashSet<>();
            for (Map.Entry<String, LiveChannel> e : view.channels().get().entrySet()) {
                String owner = owners.get(e.getKey());
                ClusterNode target = owner == null || owner.equals(self) ? null : nodes.get(owner);
                if (target == null || target.clusterPort() == 0) {
                    continue;
                }
                for (InputStatus input : e.getValue().inputStatus()) {
                    if (input.node() != null) {
                        continue; // forwarded here by another node
                    }
                    String name = e.getKey() + "/" + input.name();
                    keep.add(name);
                    Forwarding f = forwarders.get(name);
                    if (f != null
                            && f.channel() == e.getValue()
                            && f.host().equals(target.address())
                            && f.port() == target.clusterPort()) {
                        continue;
                    }
                    if (f != null) {
                        stop(f);
                    }
                    forwarders.put(name, startForwarding(e.getValue(), input.name(), target));
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
            LOG.error("event=cluster-forwarding-round-failed node={} error={}", self, e.toString(), e);
        }
    }

    private Forwarding startForwarding(LiveChannel channel, String input, ClusterNode owner) {
        Future<InputForwarder> started = InputForwarder.start(
                channel,
                input,
                self,
                owner.address(),
                owner.clusterPort(),
                key,
                connector,
                PooledByteBufAllocator.DEFAULT,
                InputForwarder.LINK_SETTINGS,
                Clock.systemUTC());
        started.addListener(f -> {
            if (f.isSuccess()) {
                metrics.add((InputForwarder) f.getNow());
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
                metrics.remove(forwarder);
            }
        });
    }

    /** Stops the rounds (waiting at most {@code waitMs} for one in progress), then every forwarder (links unpublished). */
    public void close(long waitMs) {
        thread.shutdown();
        try {
            thread.awaitTermination(waitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        forwarders.values().forEach(this::stop);
        forwarders.clear();
    }

    @Override
    public void close() {
        close(0);
    }
}
