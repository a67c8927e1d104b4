package io.streamrepeater.relay;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.PromiseCombiner;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.rtmp.session.RtmpUrl;
import io.streamrepeater.status.DestinationEvent;
import io.streamrepeater.status.DestinationMode;
import io.streamrepeater.status.DestinationStatus;
import io.streamrepeater.status.DrillDelivery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fan-out of one channel: each output packet is encoded into RTMP chunks once and the same
 * bytes (retained duplicates) are written to every live destination. Runs on the channel's event
 * loop, like the channel and the destination connections. Whether this node may write at all (cluster
 * mode: its lease on the channel) is asked of its {@link RelayFence}.
 */
public final class ChannelRelay {
    /** The codec of the channel's last video sequence header (null before one); the channel's loop only. */
    private volatile String videoCodec;

    private static final Logger LOG = LoggerFactory.getLogger(ChannelRelay.class);
    static final int AUDIO_CHUNK_STREAM = 4;
    static final int DATA_CHUNK_STREAM = 5;
    static final int VIDEO_CHUNK_STREAM = 6;

    /** How many destination events a relay keeps for readers. */
    static final int EVENT_LOG_CAPACITY = 256;

    public static final String BACKUP_SUFFIX = "/backup";

    private final RelaySource channel;
    /** Stops the channel's delivery of packets to {@link #packet}; run by {@link #close()}. */
    private final Runnable detach;

    private final EventLoop loop;
    /** Connections written to in this turn of the event loop, flushed by {@link #flushAll} (on the loop only). */
    private final List<Runnable> pendingFlushes = new ArrayList<>();

    private final Runnable flushAll = this::flushAll;
    /** The destinations' watchdog; null while idle (no media and nothing to watch), restarted by the next packet. */
    private volatile ScheduledFuture<?> watchdog;
    /** A packet was relayed since the watchdog's last look (on the loop only). */
    private boolean mediaSinceCheck;

    private volatile boolean closed;
    private final OutboundConnector connector;
    private final ByteBufAllocator alloc;
    private final SupervisionSettings settings;
    private final DestinationEventLog events;
    private final LatencyHistogram latency;
    /** Read on the event loop for every packet; changed (rarely) from any thread. */
    private final List<Destination> destinations = new CopyOnWriteArrayList<>();
    /** Asked before every write and connection attempt (cluster mode: the channel's lease); cuts them all on a no. */
    private final RelayFence fence;
    /** Configured name to its connections: one, or two for a backup in {@code both} mode. Guarded by itself. */
    private final Map<String, List<Destination>> byName = new LinkedHashMap<>();

    /** A relay with {@link SupervisionSettings#defaults()}. */
    public ChannelRelay(RelaySource channel, EventLoop loop, OutboundConnector connector, ByteBufAllocator alloc) {
        this(channel, loop, connector, alloc, SupervisionSettings.defaults());
    }

    public ChannelRelay(
            RelaySource channel,
            EventLoop loop,
            OutboundConnector connector,
            ByteBufAllocator alloc,
            SupervisionSettings settings) {
        this(channel, loop, connector, alloc, settings, new LatencyHistogram());
    }

    /**
     * @param latency where each live packet's ingest-to-socket-write latency is recorded, per destination write;
     *     may be shared by the relays of every channel
     */
    public ChannelRelay(
            RelaySource channel,
            EventLoop loop,
            OutboundConnector connector,
            ByteBufAllocator alloc,
            SupervisionSettings settings,
            LatencyHistogram latency) {
        this(channel, loop, connector, alloc, settings, latency, WriteFence.OPEN);
    }

    /**
     * @param fence asked before every connection attempt and every write; once it says no, every destination is
     *     dropped at once and the relay writes nothing more (cluster mode: the lease of this node on the channel)
     */
    public ChannelRelay(
            RelaySource channel,
            EventLoop loop,
            OutboundConnector connector,
            ByteBufAllocator alloc,
            SupervisionSettings settings,
            LatencyHistogram latency,
            WriteFence fence) {
        this.channel = channel;
        this.fence = new RelayFence(channel.name(), fence, destinations, loop);
        this.latency = latency;
        // Destination changes join the channel's own event stream (SSE, webhooks) besides this log.
        this.events = new DestinationEventLog(EVENT_LOG_CAPACITY, channel::destinationEvent);
        this.loop = loop;
        this.connector = connector;
        this.alloc = alloc;
        this.settings = settings;
        // one timer for all destinations: a timer per destination woke the loop twice a second per destination
        this.watchdog = scheduleWatchdog();
        this.detach = channel.attach(this);
    }

    private ScheduledFuture<?> scheduleWatchdog() {
        return loop.scheduleAtFixedRate(
                this::checkDestinations,
                Destination.WATCHDOG_PERIOD_MS,
                Destination.WATCHDOG_PERIOD_MS,
                TimeUnit.MILLISECONDS);
    }

    /**
     * The watchdog's look at every destination; when no media came since the last look and no destination has
     * anything to watch (nothing queued, nothing unacknowledged beyond its window, not on a backup address to leave),
     * the watchdog stops until the next packet: a relay waiting for its show wakes no thread.
     */
    private void checkDestinations() {
        boolean busy = mediaSinceCheck;
        mediaSinceCheck = false;
        for (Destination d : destinations) {
            d.check();
            busy |= !d.idle();
        }
        if (!busy || closed) {
            ScheduledFuture<?> w = watchdog;
            watchdog = null;
            if (w != null) {
                w.cancel(false);
            }
        }
    }

    /** Whether the watchdog is running (tests); on the loop. */
    boolean watchdogRunning() {
        return watchdog != null;
    }

    /** Adds an enabled destination without a backup address and starts connecting it. */
    public void addDestination(String name, RtmpUrl url) {
        addDestination(DestinationSpec.of(name, url));
    }

    /**
     * Adds a destination of a live (or idle) channel and, if enabled, starts connecting it; the others
     * are not touched. Once live it gets the metadata, sequence headers and current GOP first.
     *
     * @throws IllegalArgumentException if the channel already has a destination of that name
     */
    public void addDestination(DestinationSpec spec) {
        List<Destination> group = new ArrayList<>();
        if (spec.backupUrl() == null) {
            group.add(newDestination(spec.name(), List.of(spec.url()), spec.codecPolicy()));
        } else if (spec.mode() == DestinationMode.FALLBACK) {
            group.add(newDestination(spec.name(), List.of(spec.url(), spec.backupUrl()), spec.codecPolicy()));
        } else {
            group.add(newDestination(spec.name(), List.of(spec.url()), spec.codecPolicy()));
            group.add(newDestination(spec.name() + BACKUP_SUFFIX, List.of(spec.backupUrl()), spec.codecPolicy()));
        }
        synchronized (byName) {
            if (byName.containsKey(spec.name())) {
                throw new IllegalArgumentException(
                        "channel '" + channel.name() + "' already has a destination named '" + spec.name() + "'");
            }
            byName.put(spec.name(), group);
        }
        destinations.addAll(group);
        for (Destination d : group) {
            if (spec.enabled()) {
                d.enable("added");
            } else {
                d.startDisabled();
            }
        }
    }

    /** Stops and removes a destination (and its backup connection); the others are not touched. */
    public boolean removeDestination(String name) {
        List<Destination> group;
        synchronized (byName) {
            group = byName.remove(name);
        }
        if (group == null) {
            return false;
        }
        destinations.removeAll(group);
        group.forEach(d -> d.disable("removed"));
        return true;
    }

    /** Connects a disabled destination again; false if there is none of that name. */
    public boolean enableDestination(String name) {
        return forGroup(name, d -> d.enable("enabled"));
    }

    /** Disconnects a destination and keeps it configured (state DISABLED); false if there is none of that name. */
    public boolean disableDestination(String name) {
        return forGroup(name, d -> d.disable("disabled"));
    }

    private boolean forGroup(String name, java.util.function.Consumer<Destination> action) {
        List<Destination> group;
        synchronized (byName) {
            group = byName.get(name);
        }
        if (group == null) {
            return false;
        }
        group.forEach(action);
        return true;
    }

    private Destination newDestination(String name, List<RtmpUrl> addresses, CodecPolicy codecs) {
        Destination d = new Destination(
                channel.name(), name, addresses, loop, connector, this, fence, settings, events, latency, codecs);
        d.videoCodec(videoCodec);
        return d;
    }

    /** The connection of that name (tests). */
    Destination destination(String name) {
        return destinations.stream()
                .filter(d -> d.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    /** A snapshot of every destination connection; safe from any thread. */
    public List<DestinationStatus> status() {
        List<DestinationStatus> list = new ArrayList<>();
        for (Destination d : destinations) {
            list.add(d.status());
        }
        return list;
    }

    /**
     * Starts counting what every destination is sent, for a failover drill; call on the channel's event loop.
     *
     * @return each destination's reconnect count now, to subtract at the end
     */
    public Map<String, Long> openDeliveryWindows() {
        Map<String, Long> reconnects = new LinkedHashMap<>();
        for (Destination d : destinations) {
            d.openDeliveryWindow();
            reconnects.put(d.name(), d.status().reconnects());
        }
        return reconnects;
    }

    /**
     * What every destination was sent since {@link #openDeliveryWindows()}; call on the channel's event loop.
     *
     * @param reconnectsAtOpen what {@link #openDeliveryWindows()} returned
     */
    public List<DrillDelivery> deliveries(Map<String, Long> reconnectsAtOpen) {
        List<DrillDelivery> list = new ArrayList<>();
        for (Destination d : destinations) {
            long reconnects = d.status().reconnects() - reconnectsAtOpen.getOrDefault(d.name(), 0L);
            list.add(d.delivery(reconnects));
        }
        return list;
    }

    /** The most recent state transitions of this channel's destinations (at most 256), oldest first. */
    public List<DestinationEvent> events() {
        return events.snapshot();
    }

    /**
     * Flushes a destination connection once the packets of this turn of the event loop have all been written:
     * packets that arrive together (a video frame and the audio frames beside it, or several encoders' packets) leave
     * in one system call per destination instead of one each. Called on the event loop.
     *
     * @param flush the connection's flush, run once by the task queued behind this turn's packets
     */
    void flushSoon(Runnable flush) {
        if (pendingFlushes.isEmpty()) {
            loop.execute(flushAll);
        }
        pendingFlushes.add(flush);
    }

    private void flushAll() {
        // by index: a flush that fails closes its connection, which may not add more, but would be seen if it did
        for (int i = 0; i < pendingFlushes.size(); i++) {
            pendingFlushes.get(i).run();
        }
        pendingFlushes.clear();
    }

    /**
     * Ends the relay as {@link #close()} does but without a goodbye to any destination: a node that lost the channel
     * must write nothing more, not even an unpublish (the new owner may already be publishing there).
     *
     * @return completes when every destination connection is closed
     */
    public Future<Void> abandon(String reason) {
        Promise<Void> done = loop.newPromise();
        loop.execute(() -> {
            fence.cutAll(reason);
            close().addListener(f -> done.trySuccess(null));
        });
        return done;
    }

    /** @return the fence this relay writes behind (a relay built again for new settings keeps it) */
    public WriteFence fence() {
        return fence.fence();
    }

    /** A destination just went live: give it the headers and the current GOP, then live packets. */
    void destinationLive(Destination d) {
        if (!fence.mayWrite()) {
            return;
        }
        for (MediaPacket p : channel.startupPackets()) {
            try {
                writeTo(d, p);
            } finally {
                p.release();
            }
        }
    }

    /**
     * One packet of the channel's output timeline, timestamps already rebased; called on the channel's event loop.
     *
     * @param packet borrowed: valid for the duration of the call; each destination write keeps what it needs
     */
    public void packet(MediaPacket packet) {
        if (!fence.mayWrite()) {
            return;
        }
        mediaSinceCheck = true;
        if (watchdog == null && !closed) {
            watchdog = scheduleWatchdog();
        }
        if (packet.kind() == MediaKind.VIDEO && packet.sequenceHeader() && packet.videoCodec() != null) {
            String codec = packet.videoCodec().name();
            if (!codec.equals(videoCodec)) {
                videoCodec = codec;
                for (Destination d : destinations) {
                    d.videoCodec(codec); // a platform that does not take it gets nothing (state FAILED)
                }
            }
        }
        EncodedMessage encoded = null;
        int encodedStreamId = -1;
        try {
            for (Destination d : destinations) {
                if (!d.isLive()) {
                    continue;
                }
                if (encoded == null || encodedStreamId != d.messageStreamId()) {
                    // Destinations normally share one message stream id, so this encodes once.
                    if (encoded != null) {
                        encoded.release();
                    }
                    encodedStreamId = d.messageStreamId();
                    encoded = encode(packet, encodedStreamId);
                }
                d.write(encoded, packet, packet.ingestNanos());
            }
        } finally {
            if (encoded != null) {
                encoded.release();
            }
        }
    }

    private void writeTo(Destination d, MediaPacket p) {
        EncodedMessage encoded = encode(p, d.messageStreamId());
        try {
            // Start-up packets come from the caches: their age is not latency the relay adds.
            d.write(encoded, p, 0);
        } finally {
            encoded.release();
        }
    }

    /** Encodes a packet as chunks; the result is owned by the caller. */
    private EncodedMessage encode(MediaPacket p, int messageStreamId) {
        int csid = switch (p.kind()) {
            case AUDIO -> AUDIO_CHUNK_STREAM;
            case VIDEO -> VIDEO_CHUNK_STREAM;
            case DATA -> DATA_CHUNK_STREAM;
        };
        return EncodedMessage.encode(
                csid, p.rtmpTypeId(), p.dts(), messageStreamId, p.content(), OutboundConnector.CHUNK_SIZE, alloc);
    }

    /**
     * Stops every destination; live ones are unpublished cleanly first ({@code FCUnpublish}, {@code deleteStream}).
     *
     * @return completes when every destination connection is closed (bounded by the unpublish grace per connection)
     */
    public Future<Void> close() {
        detach.run();
        closed = true;
        ScheduledFuture<?> w = watchdog;
        if (w != null) {
            w.cancel(false);
        }
        fence.close();
        List<Future<Void>> closing = new ArrayList<>();
        for (Destination d : destinations) {
            closing.add(d.disable("relay closed"));
        }
        destinations.clear();
        synchronized (byName) {
            byName.clear();
        }
        Promise<Void> all = loop.newPromise();
        loop.execute(() -> {
            PromiseCombiner combiner = new PromiseCombiner(loop);
            closing.forEach(combiner::add);
            combiner.finish(all);
        });
        return all;
    }
}
