package io.streamrepeater.control.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamrepeater.control.webhooks.DeliveryCount;
import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelEventType;
import io.streamrepeater.status.ChannelStatus;
import io.streamrepeater.status.DestinationState;
import io.streamrepeater.status.DestinationStatus;
import io.streamrepeater.status.InputState;
import io.streamrepeater.status.InputStatus;
import io.streamrepeater.status.SrtLinkStatus;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus metrics of the relay, read from the status snapshots at each scrape (so the media path
 * pays nothing), plus switch counters fed by channel events, JVM figures, and whatever the
 * composition root registers on {@link #registry()} (Netty's buffer pools).
 *
 * <p>Names are a contract (DESIGN §4): {@code streamrepeater_input_*}, {@code streamrepeater_channel_*},
 * {@code streamrepeater_destination_*}.
 *
 * <p>Why it is longer than ~400 lines: it is the list of the metrics, one registration each with its help text; the
 * list is the contract, and one file is where a reader checks it against DESIGN §4.
 */
public final class StatusMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MetricsSource port;
    private final Map<String, InputStatus> inputs = new ConcurrentHashMap<>();
    private final Map<String, SrtLinkStatus> srtLinks = new ConcurrentHashMap<>();
    private final Map<String, DestinationStatus> destinations = new ConcurrentHashMap<>();
    private final Map<String, ChannelStatus> channels = new ConcurrentHashMap<>();
    private final Map<String, Long> lastSwitchGapMs = new ConcurrentHashMap<>();
    private final Map<String, Long> webhookDeliveries = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> meters = new HashMap<>();
    private volatile java.util.function.Supplier<List<DeliveryCount>> webhookCounts = List::of;
    private volatile java.util.function.Supplier<Map<String, Long>> ingestRejections = Map::of;
    private final Map<String, Long> ingestRejected = new ConcurrentHashMap<>();

    public StatusMetrics(MetricsSource port) {
        this.port = port;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        port.subscribe(this::onEvent);
        registerRelayLatency();
    }

    /** Added latency, ingest to socket write, since start (or the last diagnostics reset): p50, p99, max. */
    private void registerRelayLatency() {
        String name = "streamrepeater_relay_write_latency_seconds";
        String help = "Ingest-to-socket-write latency of destination writes since start or the last reset";
        Gauge.builder(name, port, p -> p.relayLatency().p50Micros() / 1e6)
                .description(help)
                .tags("quantile", "0.5")
                .register(registry);
        Gauge.builder(name, port, p -> p.relayLatency().p99Micros() / 1e6)
                .description(help)
                .tags("quantile", "0.99")
                .register(registry);
        Gauge.builder(
                        "streamrepeater_relay_write_latency_max_seconds",
                        port,
                        p -> p.relayLatency().maxMicros() / 1e6)
                .description("Largest ingest-to-socket-write latency since start or the last reset")
                .register(registry);
    }

    /** The registry, for meters the composition root adds (e.g. Netty buffer pools). */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * Exposes webhook delivery outcomes as {@code streamrepeater_webhook_deliveries_total{channel,outcome}},
     * read from {@code counts} at each scrape.
     */
    public void watchWebhookDeliveries(java.util.function.Supplier<List<DeliveryCount>> counts) {
        this.webhookCounts = counts;
    }

    /**
     * Exposes ingest connections closed by a limit as
     * {@code streamrepeater_ingest_rejected_connections_total{reason}}, read from {@code countsByReason} (reason label
     * to count since start, e.g. {@code handshake-timeout}) at each scrape.
     */
    public void watchIngestRejections(java.util.function.Supplier<Map<String, Long>> countsByReason) {
        this.ingestRejections = countsByReason;
    }

    private void onEvent(ChannelEvent e) {
        if (e.type() != ChannelEventType.SWITCH) {
            return;
        }
        Counter.builder("streamrepeater_channel_switches")
                .description("Switches of the active input, by reason")
                .tags("channel", e.channel(), "reason", reasonClass(e.reason()))
                .register(registry)
                .increment();
        if (e.gapMs() >= 0) {
            lastSwitchGapMs.put(e.channel(), e.gapMs());
        }
    }

    static String reasonClass(String reason) {
        String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if (r.contains("rehearsal")) {
            return "rehearsal";
        }
        if (r.contains("operator")) {
            return "operator";
        }
        if (r.startsWith("failback")) {
            return "failback";
        }
        if (r.contains("no media for")) {
            return "stall";
        }
        if (r.contains("disconnect")
                || r.contains("unpublish")
                || r.contains("deletestream")
                || r.contains("no encoder")
                || r.contains("error")) {
            return "disconnect";
        }
        return "other";
    }

    /** Renders the Prometheus text exposition, refreshing the status-based meters first. */
    public synchronized String scrape() {
        refresh();
        return registry.scrape();
    }

    private void refresh() {
        Set<String> seen = new HashSet<>();
        for (ChannelStatus c : port.channels()) {
            String ck = "c|" + c.name();
            channels.put(ck, c);
            seen.add(ck);
            register(
                    ck,
                    () -> List.of(
                            gauge(
                                    "streamrepeater_channel_inputs_match",
                                    "1 when the connected inputs match (codec, resolution, rates, GOP)",
                                    Tags.of("channel", c.name()),
                                    ck,
                                    channels,
                                    s -> ((ChannelStatus) s).compatibility() != null
                                                    && ((ChannelStatus) s)
                                                            .compatibility()
                                                            .inputsMatch()
                                            ? 1
                                            : 0),
                            Gauge.builder(
                                            "streamrepeater_channel_last_switch_gap_seconds",
                                            lastSwitchGapMs,
                                            m -> m.getOrDefault(c.name(), -1L) < 0
                                                    ? Double.NaN
                                                    : m.get(c.name()) / 1000.0)
                                    .description("Output media gap at the last switch")
                                    .tags("channel", c.name())
                                    .register(registry)));
            for (InputStatus i : c.inputs()) {
                String k = "i|" + c.name() + "|" + i.name();
                inputs.put(k, i);
                seen.add(k);
                Tags t = Tags.of("channel", c.name(), "input", i.name());
                register(
                        k,
                        () -> List.of(
                                gauge(
                                        "streamrepeater_input_active",
                                        "1 when this input feeds the destinations",
                                        t,
                                        k,
                                        inputs,
                                        s -> ((InputStatus) s).state() == InputState.ACTIVE ? 1 : 0),
                                gauge(
                                        "streamrepeater_input_up",
                                        "1 when the input is usable (active or standby)",
                                        t,
                                        k,
                                        inputs,
                                        s -> ((InputStatus) s).state() == InputState.DOWN ? 0 : 1),
                                gauge(
                                        "streamrepeater_input_last_packet_age_seconds",
                                        "Time since the last media packet",
                                        t,
                                        k,
                                        inputs,
                                        s -> ((InputStatus) s).lastPacketAgeMs() < 0
                                                ? Double.NaN
                                                : ((InputStatus) s).lastPacketAgeMs() / 1000.0),
                                gauge(
                                        "streamrepeater_input_bitrate_bits_per_second",
                                        "Bits per second received recently",
                                        t,
                                        k,
                                        inputs,
                                        s -> ((InputStatus) s).bitrateBps()),
                                gauge(
                                        "streamrepeater_input_frames_per_second",
                                        "Video frames per second received recently",
                                        t,
                                        k,
                                        inputs,
                                        s -> ((InputStatus) s).fps()),
                                counter(
                                        "streamrepeater_input_packets",
                                        "Media packets received",
                                        t,
                                        k,
                                        inputs,
                                        s -> ((InputStatus) s).packets())));
                if (i.srt() != null) {
                    // only while an SRT encoder is connected: the series end with its connection
                    String sk = "s|" + c.name() + "|" + i.name();
                    srtLinks.put(sk, i.srt());
                    seen.add(sk);
                    register(sk, () -> srtMeters(t, sk));
                }
            }
            for (DestinationStatus d : c.destinations()) {
                String k = "d|" + c.name() + "|" + d.name();
                destinations.put(k, d);
                seen.add(k);
                Tags t = Tags.of("channel", c.name(), "destination", d.name());
                register(k, () -> {
                    List<Meter> list = new java.util.ArrayList<>(List.of(
                            gauge(
                                    "streamrepeater_destination_up",
                                    "1 when the destination is live",
                                    t,
                                    k,
                                    destinations,
                                    s -> ((DestinationStatus) s).state() == DestinationState.LIVE ? 1 : 0),
                            gauge(
                                    "streamrepeater_destination_bitrate_bits_per_second",
                                    "Bits per second sent recently",
                                    t,
                                    k,
                                    destinations,
                                    s -> ((DestinationStatus) s).bitrateBps()),
                            counter(
                                    "streamrepeater_destination_sent_bytes",
                                    "Media bytes sent",
                                    t,
                                    k,
                                    destinations,
                                    s -> ((DestinationStatus) s).bytesSent()),
                            counter(
                                    "streamrepeater_destination_dropped_frames",
                                    "Media messages dropped for this destination",
                                    t,
                                    k,
                                    destinations,
                                    s -> ((DestinationStatus) s).framesDropped()),
                            counter(
                                    "streamrepeater_destination_reconnects",
                                    "Reconnects of this destination",
                                    t,
                                    k,
                                    destinations,
                                    s -> ((DestinationStatus) s).reconnects())));
                    for (DestinationState st : DestinationState.values()) {
                        list.add(gauge(
                                "streamrepeater_destination_state",
                                "1 for the destination's current state",
                                t.and("state", st.name().toLowerCase(Locale.ROOT)),
                                k,
                                destinations,
                                s -> ((DestinationStatus) s).state() == st ? 1 : 0));
                    }
                    return list;
                });
            }
        }
        for (DeliveryCount w : webhookCounts.get()) {
            String k = "w|" + w.channel() + "|" + w.outcome().label();
            webhookDeliveries.put(k, w.count());
            seen.add(k);
            register(
                    k,
                    () -> List.of(counter(
                            "streamrepeater_webhook_deliveries",
                            "Webhook deliveries by how they ended (delivered, rejected, failed after retries, dropped)",
                            Tags.of(
                                    "channel",
                                    w.channel(),
                                    "outcome",
                                    w.outcome().label()),
                            k,
                            webhookDeliveries,
                            s -> (Long) s)));
        }
        ingestRejections.get().forEach((reason, count) -> {
            String k = "r|" + reason;
            ingestRejected.put(k, count);
            seen.add(k);
            register(
                    k,
                    () -> List.of(counter(
                            "streamrepeater_ingest_rejected_connections",
                            "Ingest connections closed by a limit (connection caps, handshake and publish timeouts, chunk limits)",
                            Tags.of("reason", reason),
                            k,
                            ingestRejected,
                            s -> (Long) s)));
        });
        for (String k : new HashSet<>(meters.keySet())) {
            if (!seen.contains(k)) {
                meters.remove(k).forEach(registry::remove);
                inputs.remove(k);
                srtLinks.remove(k);
                destinations.remove(k);
                channels.remove(k);
                webhookDeliveries.remove(k);
                ingestRejected.remove(k);
            }
        }
    }

    /** SRT's own view of an input's link (libsrt statistics); the counters restart with each connection. */
    private List<Meter> srtMeters(Tags t, String k) {
        return List.of(
                gauge(
                        "streamrepeater_input_srt_rtt_seconds",
                        "SRT round-trip time to the encoder",
                        t,
                        k,
                        srtLinks,
                        s -> ((SrtLinkStatus) s).rttMs() / 1000.0),
                gauge(
                        "streamrepeater_input_srt_receive_rate_bits_per_second",
                        "SRT payload received recently",
                        t,
                        k,
                        srtLinks,
                        s -> ((SrtLinkStatus) s).receiveRateMbps() * 1_000_000),
                gauge(
                        "streamrepeater_input_srt_bandwidth_bits_per_second",
                        "Link capacity SRT estimates",
                        t,
                        k,
                        srtLinks,
                        s -> ((SrtLinkStatus) s).bandwidthMbps() * 1_000_000),
                gauge(
                        "streamrepeater_input_srt_latency_seconds",
                        "SRT receive latency (retransmission budget)",
                        t,
                        k,
                        srtLinks,
                        s -> ((SrtLinkStatus) s).latencyMs() / 1000.0),
                counter(
                        "streamrepeater_input_srt_packets_received",
                        "SRT data packets received",
                        t,
                        k,
                        srtLinks,
                        s -> ((SrtLinkStatus) s).packetsReceived()),
                counter(
                        "streamrepeater_input_srt_packets_lost",
                        "SRT packets found missing (may be retransmitted)",
                        t,
                        k,
                        srtLinks,
                        s -> ((SrtLinkStatus) s).packetsLost()),
                counter(
                        "streamrepeater_input_srt_packets_retransmitted",
                        "Retransmitted SRT packets received",
                        t,
                        k,
                        srtLinks,
                        s -> ((SrtLinkStatus) s).packetsRetransmitted()),
                counter(
                        "streamrepeater_input_srt_packets_dropped",
                        "SRT packets skipped as too late (holes in the media)",
                        t,
                        k,
                        srtLinks,
                        s -> ((SrtLinkStatus) s).packetsDropped()));
    }

    private void register(String key, java.util.function.Supplier<List<Meter>> create) {
        meters.computeIfAbsent(key, k -> create.get());
    }

    private Meter gauge(
            String name, String help, Tags tags, String key, Map<String, ?> source, ToDoubleFunction<Object> f) {
        return Gauge.builder(name, source, m -> {
                    Object s = m.get(key);
                    return s == null ? Double.NaN : f.applyAsDouble(s);
                })
                .description(help)
                .tags(tags)
                .register(registry);
    }

    private Meter counter(
            String name, String help, Tags tags, String key, Map<String, ?> source, ToDoubleFunction<Object> f) {
        return FunctionCounter.builder(name, source, m -> {
                    Object s = m.get(key);
                    return s == null ? 0 : f.applyAsDouble(s);
                })
                .description(help)
                .tags(tags)
                .register(registry);
    }
}
