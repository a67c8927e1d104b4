package io.streamrepeater.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.streamrepeater.app.cluster.ForwardingMetrics;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * One node's {@code streamrepeater_cluster_*} meters: {@code node_up{node}} (1 up or draining, 0 down, for every node
 * ever seen), {@code channels_relayed}, {@code lease_changes_total{reason}}, {@code lease_renew_latency_seconds} (how
 * long the store took to answer a renewal: the margin a lease has left) and the forwarding meters. Counts made before
 * the registry is bound are kept and registered then. Thread-safe.
 */
final class ClusterMetrics {
    static final String RENEW_LATENCY = "streamrepeater_cluster_lease_renew_latency";

    /** Lease changes of this node by reason ({@code acquired}, {@code renew-refused}, {@code fence-expired}...). */
    private final Map<String, AtomicLong> leaseChanges = new ConcurrentHashMap<>();
    /** Every node seen up or down. */
    private final Set<String> knownNodes = ConcurrentHashMap.newKeySet();

    private final Predicate<String> alive;
    private volatile MeterRegistry meters;
    private volatile MultiGauge nodeUp;
    private volatile Timer renewLatency;

    /** @param alive whether a node is up or draining as of the last heartbeat round */
    ClusterMetrics(Predicate<String> alive) {
        this.alive = alive;
    }

    /** A lease gained ({@code acquired}) or lost, by reason. */
    void leaseChanged(String reason) {
        AtomicLong count = leaseChanges.computeIfAbsent(reason, r -> {
            AtomicLong fresh = new AtomicLong();
            MeterRegistry registry = meters;
            if (registry != null) {
                registerLeaseChanges(registry, r, fresh);
            }
            return fresh;
        });
        count.incrementAndGet();
    }

    /** A node came up or went down: it gets its {@code node_up} row. */
    void nodeSeen(String node) {
        if (knownNodes.add(node)) {
            refreshNodeUp();
        }
    }

    /** The store answered a renewal after {@code nanos}. */
    void renewed(long nanos) {
        Timer timer = renewLatency;
        if (timer != null) {
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Registers every meter.
     *
     * @param nodes the nodes known now
     * @param relaying the channels this node relays (read at each scrape)
     * @param forwarding this node's forwarding counters
     */
    void bind(
            MeterRegistry registry,
            Collection<String> nodes,
            Map<String, Long> relaying,
            ForwardingMetrics forwarding) {
        knownNodes.addAll(nodes);
        forwarding.bindTo(registry);
        Gauge.builder("streamrepeater_cluster_channels_relayed", relaying, Map::size)
                .description("Channels this node holds the lease of and relays")
                .register(registry);
        renewLatency = Timer.builder(RENEW_LATENCY)
                .description("How long the store took to answer a lease renewal (a lease lives leaseMs from the"
                        + " moment the renewal was sent)")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        nodeUp = MultiGauge.builder("streamrepeater_cluster_node_up")
                .description("1 while a node's heartbeat is within the lease (up or draining), 0 once it is down")
                .register(registry);
        refreshNodeUp();
        leaseChanges.forEach((reason, count) -> registerLeaseChanges(registry, reason, count));
        meters = registry;
    }

    private static void registerLeaseChanges(MeterRegistry registry, String reason, AtomicLong count) {
        FunctionCounter.builder("streamrepeater_cluster_lease_changes", count, AtomicLong::get)
                .description("Channel leases this node gained (acquired) or lost, by reason, since start")
                .tag("reason", reason)
                .register(registry);
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
                        .map(name -> MultiGauge.Row.of(Tags.of("node", name), alive, a -> a.test(name) ? 1 : 0))
                        .toList(),
                true);
    }
}
