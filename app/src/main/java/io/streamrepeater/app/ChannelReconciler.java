package io.streamrepeater.app;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.control.config.DestinationConfig;
import io.streamrepeater.control.config.InputConfig;
import io.streamrepeater.control.config.ServerConfig;
import io.streamrepeater.control.config.StreamRepeaterConfig;
import io.streamrepeater.control.config.WebhookConfig;
import io.streamrepeater.control.store.ConfigStore;
import io.streamrepeater.control.webhooks.WebhookDispatcher;
import io.streamrepeater.relay.ChannelRelay;
import io.streamrepeater.relay.DestinationSpec;
import io.streamrepeater.relay.LatencyHistogram;
import io.streamrepeater.relay.OutboundConnector;
import io.streamrepeater.relay.WriteFence;
import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelStatus;
import io.streamrepeater.status.platform.DestinationPreflight;
import io.streamrepeater.status.platform.Finding;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Desired configuration to running channels: starts a channel (inputs, keys, webhooks, relay, destinations),
 * re-applies a changed one while it is live (unchanged destinations untouched, inputs keeping their encoders), and
 * stops a deleted one. Every change made through this node is saved to the store before it goes live; in cluster mode
 * the changes made through other nodes come from the store through {@link StoredConfigFollower}. Logs under the
 * server's name, as before the split.
 */
final class ChannelReconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);

    private final EventLoopGroup workers;
    private final OutboundConnector connector;
    private final KeyDirectory keys;
    private final Path configDir;
    private final ServerConfig serverConfig;
    /** Where the configuration lives; every change is written here, in one transaction, before it goes live. */
    private final ConfigStore store;
    /** Sends every channel's events to its webhooks, off the event loops. */
    private final WebhookDispatcher webhooks;
    /** Ingest-to-socket-write latency of every channel's destination writes (shared, lock-free). */
    private final LatencyHistogram relayLatency;
    /**
     * Cluster mode: a channel's relay (its destination connections) exists only while this node holds the channel's
     * lease ({@link #own}, {@link #disown}); single-node mode: from the channel's start to its deletion.
     */
    private final boolean leased;
    /** Cluster mode: the backup ingests this node pushes for channels another node (or this one) owns. */
    private final BackupIngestRelays backupIngests = new BackupIngestRelays(this::newRelay);

    private final Map<String, LiveChannel> channels = new ConcurrentSkipListMap<>();
    private final Map<String, ChannelRelay> relays = new ConcurrentSkipListMap<>();
    private final Map<String, ChannelConfig> configs = new LinkedHashMap<>();
    private final List<Consumer<ChannelEvent>> eventListeners = new CopyOnWriteArrayList<>();

    ChannelReconciler(
            EventLoopGroup workers,
            OutboundConnector connector,
            KeyDirectory keys,
            Path configDir,
            ServerConfig serverConfig,
            ConfigStore store,
            WebhookDispatcher webhooks,
            LatencyHistogram relayLatency,
            boolean leased) {
        this.leased = leased;
        this.workers = workers;
        this.connector = connector;
        this.keys = keys;
        this.configDir = configDir;
        this.serverConfig = serverConfig;
        this.store = store;
        this.webhooks = webhooks;
        this.relayLatency = relayLatency;
    }

    /**
     * Listens to the events of every channel, including channels created later (SSE clients, metrics).
     * A listener runs on a channel's event loop and must not block.
     */
    public synchronized void addEventListener(Consumer<ChannelEvent> listener) {
        eventListeners.add(listener);
        channels.values().forEach(ch -> ch.events().addListener(listener));
    }

    public synchronized void removeEventListener(Consumer<ChannelEvent> listener) {
        eventListeners.remove(listener);
        channels.values().forEach(ch -> ch.events().removeListener(listener));
    }

    /** Starts a channel of the configuration: its inputs, keys, webhooks, relay and destinations. */
    void startChannel(ChannelConfig cc) {
        EventLoop loop = workers.next();
        LiveChannel channel = new LiveChannel(
                cc.name(),
                ChannelMapping.inputSpecs(cc),
                ChannelMapping.failoverPolicy(cc.failover()),
                loop,
                Clock.systemUTC());
        eventListeners.forEach(l -> channel.events().addListener(l));
        if (cc.slate() != null) {
            channel.useSlate(ChannelMapping.readSlate(cc, configDir));
        }
        webhooks.configure(cc.name(), cc.webhooks());
        channel.events().addListener(webhooks::publish);
        channels.put(cc.name(), channel);
        configs.put(cc.name(), cc);
        for (InputConfig ic : cc.inputs()) {
            keys.register(ic.key(), channel, ic.name(), ic.srtPassphrase());
        }
        if (!leased) {
            startRelay(cc, channel, WriteFence.OPEN);
        }
        channel.start();
        LOG.info(
                "event=channel-started channel={} inputs={} destinations={}",
                cc.name(),
                cc.inputs().size(),
                cc.destinations().size());
    }

    /** A new relay for the channel, its destinations connecting now (behind the fence). */
    private ChannelRelay startRelay(ChannelConfig cc, LiveChannel channel, WriteFence fence) {
        ChannelRelay relay = newRelay(cc, channel, fence);
        relays.put(cc.name(), relay);
        for (DestinationConfig dc : cc.destinations()) {
            relay.addDestination(spec(dc));
        }
        return relay;
    }

    /** A relay of the channel's output behind {@code fence}, with the channel's supervision settings, no destination. */
    private ChannelRelay newRelay(ChannelConfig cc, LiveChannel channel, WriteFence fence) {
        return new ChannelRelay(
                new LiveChannelRelaySource(channel),
                (EventLoop) channel.loop(),
                connector,
                PooledByteBufAllocator.DEFAULT,
                ChannelMapping.supervisionSettings(cc.relay()),
                relayLatency,
                fence);
    }

    /** A destination of the owner's relay: in cluster mode without the backup ingest another node pushes. */
    private DestinationSpec spec(DestinationConfig dc) {
        return leased ? ChannelMapping.primaryIngestSpec(dc) : ChannelMapping.destinationSpec(dc);
    }

    /** Cluster mode: the backup ingests this node pushes (see {@link BackupIngestRelays}). */
    BackupIngestRelays backupIngests() {
        return backupIngests;
    }

    /**
     * Cluster mode: this node now holds the channel's lease; its destinations connect now, behind {@code fence}
     * (they start from the channel's caches: codec headers, then the current GOP from its keyframe).
     *
     * @return false if there is no such channel here (yet), or it already has a relay
     */
    synchronized boolean own(String name, WriteFence fence) {
        LiveChannel channel = channels.get(name);
        ChannelConfig cc = configs.get(name);
        if (channel == null || cc == null || relays.containsKey(name)) {
            return false;
        }
        startRelay(cc, channel, fence);
        LOG.info(
                "event=relay-owner channel={} destinations={}",
                name,
                cc.destinations().size());
        return true;
    }

    /**
     * Cluster mode: this node no longer holds the channel's lease; its destination connections are dropped without a
     * goodbye (no unpublish: the new owner may already be publishing there), and nothing more is written.
     */
    synchronized void disown(String name, String reason) {
        ChannelRelay relay = relays.remove(name);
        if (relay != null) {
            relay.abandon(reason);
            LOG.info("event=relay-follower channel={} reason=\"{}\"", name, reason);
        }
    }

    /**
     * Cluster mode, drain: the channel's destinations are unpublished cleanly and closed (its lease is still held,
     * so the next owner cannot connect before this node's last frame); the relay is gone afterwards.
     *
     * @return completes when every destination connection is closed (at once if there is no relay)
     */
    synchronized io.netty.util.concurrent.Future<Void> closeBeforeRelease(String name) {
        ChannelRelay relay = relays.remove(name);
        if (relay == null) {
            return io.netty.util.concurrent.ImmediateEventExecutor.INSTANCE.newSucceededFuture(null);
        }
        LOG.info("event=relay-drained channel={}", name);
        return relay.close();
    }

    /** The configuration in force: what {@code export} writes and the API changes. */
    public synchronized StreamRepeaterConfig currentConfig() {
        return new StreamRepeaterConfig(serverConfig, new ArrayList<>(configs.values()));
    }

    /**
     * Creates or updates a channel while live. Unchanged destinations are untouched; a changed one
     * reconnects; inputs keep their encoders by name; the failover policy applies at once.
     *
     * @throws IllegalArgumentException when an input key is already used by another channel
     */
    public synchronized void applyChannel(ChannelConfig cc) {
        validate(cc);
        store.upsertChannel(cc); // durable first: a change that cannot be saved does not go live
        applyLive(cc);
    }

    /**
     * The configuration in force of one channel (cluster mode: compared with the stored one by
     * {@link StoredConfigFollower}).
     *
     * @return null if there is no such channel here
     */
    synchronized ChannelConfig configInForce(String name) {
        return configs.get(name);
    }

    /**
     * The checks a channel passes before it goes live, whoever changed it (this node's API, or another node through
     * the store: {@link StoredConfigFollower}, which holds this object's lock across the check and the apply).
     *
     * @throws IllegalArgumentException when an input key is already used by another channel here, or a webhook host
     *     is not allowed
     */
    synchronized void validate(ChannelConfig cc) {
        for (WebhookConfig webhook : cc.webhooks()) {
            StreamRepeaterConfig.requireWebhookHostAllowed(serverConfig, cc.name(), webhook);
        }
        for (ChannelConfig other : configs.values()) {
            if (other.name().equals(cc.name())) {
                continue;
            }
            for (InputConfig mine : cc.inputs()) {
                for (InputConfig theirs : other.inputs()) {
                    if (theirs.key().equals(mine.key())) {
                        throw new IllegalArgumentException("key of input " + mine.name() + " is already used by input "
                                + theirs.name() + " of channel " + other.name());
                    }
                }
            }
        }
    }

    /**
     * Makes the channel run as {@code cc} says, changing only what differs from the configuration in force; the store
     * is not written (the caller did, or read it from there). Call after {@link #validate}.
     */
    synchronized void applyLive(ChannelConfig cc) {
        ChannelConfig old = configs.get(cc.name());
        if (old == null) {
            startChannel(cc);
            LOG.info("event=channel-created channel={}", cc.name());
            return;
        }
        LiveChannel channel = channels.get(cc.name());
        ChannelRelay relay = relays.get(cc.name()); // null in cluster mode while another node holds the channel
        channel.policy(ChannelMapping.failoverPolicy(cc.failover()));
        if (!old.inputs().equals(cc.inputs())) {
            channel.updateInputs(ChannelMapping.inputSpecs(cc)).awaitUninterruptibly(5, TimeUnit.SECONDS);
            keys.unregister(channel);
            for (InputConfig ic : cc.inputs()) {
                keys.register(ic.key(), channel, ic.name(), ic.srtPassphrase());
            }
        }
        if (!old.webhooks().equals(cc.webhooks())) {
            webhooks.configure(cc.name(), cc.webhooks());
        }
        if (!Objects.equals(old.slate(), cc.slate())) {
            channel.replaceSlate(cc.slate() == null ? null : ChannelMapping.readSlate(cc, configDir))
                    .awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        backupIngests.configChanged(old, cc, channel);
        if (relay == null) {
            configs.put(cc.name(), cc); // the relay is built from it when this node takes the channel
            LOG.info("event=channel-updated channel={} owner=elsewhere", cc.name());
            return;
        }
        if (!old.relay().equals(cc.relay())) {
            // New supervision settings: a new relay for the channel; its destinations reconnect once.
            LOG.info(
                    "event=relay-settings-changed channel={} destinationsReconnect={}",
                    cc.name(),
                    cc.destinations().size());
            relay.close();
            relay = startRelay(cc.withDestinations(List.of()), channel, relay.fence());
            old = old.withDestinations(List.of());
        }
        ChannelMapping.applyDestinationChanges(relay, old.destinations(), cc.destinations(), this::spec);
        configs.put(cc.name(), cc);
        LOG.info("event=channel-updated channel={}", cc.name());
    }

    /** Stops a channel: its destinations are closed and its encoders disconnected. */
    public synchronized boolean deleteChannel(String name) {
        if (!channels.containsKey(name)) {
            return false;
        }
        store.deleteChannel(name);
        stopChannel(name);
        return true;
    }

    /** Stops a running channel (its relay, webhooks, keys, inputs) without touching the store. */
    synchronized void stopChannel(String name) {
        LiveChannel channel = channels.remove(name);
        ChannelRelay relay = relays.remove(name);
        if (relay != null) {
            relay.close();
        }
        backupIngests.close(name);
        webhooks.remove(name);
        keys.unregister(channel);
        channel.loop().submit(channel::close).awaitUninterruptibly(5, TimeUnit.SECONDS);
        configs.remove(name);
        LOG.info("event=channel-deleted channel={}", name);
    }

    /** Live channels by name. */
    Map<String, LiveChannel> channels() {
        return channels;
    }

    /** Each channel's relay by name, and the backup-ingest relays as NAME/backup-ingests (a stop closes them all). */
    Map<String, ChannelRelay> relays() {
        Map<String, ChannelRelay> all = new LinkedHashMap<>(relays);
        backupIngests.relays().forEach((name, relay) -> all.put(name + "/backup-ingests", relay));
        return all;
    }

    /** Verdict changes seen by {@link #recordVerdictChanges()}: the verdict in force and one waiting to be confirmed. */
    private final Map<String, String> verdicts = new java.util.HashMap<>();

    private final Map<String, String> pendingVerdicts = new java.util.HashMap<>();

    /**
     * Records an event for every destination whose platform verdict on an input changed (a first verdict that is not
     * {@code ok} counts as a change), on the nodes that relay the channel. A new verdict must be seen at two checks
     * in a row, so that a bitrate hovering at a limit does not flood the timeline. Called every
     * {@link #VERDICT_CHECK_MS} from one thread.
     */
    void recordVerdictChanges() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (var entry : channels.entrySet()) {
            String name = entry.getKey();
            LiveChannel ch = entry.getValue();
            var media = ch.inputMedia();
            // only the preflight, and only where an input has an encoder (only those have verdicts): a server
            // waiting for its show computes nothing here
            if (relays.get(name) == null || media.isEmpty()) {
                continue;
            }
            for (DestinationPreflight d : preflight(name, media)) {
                for (io.streamrepeater.status.platform.InputVerdict i : d.inputs()) {
                    String key = name + "/" + d.destination() + "/" + i.input();
                    seen.add(key);
                    String before = verdicts.get(key);
                    String now = i.verdict();
                    if (now.equals(before) || (before == null && now.equals(Finding.OK))) {
                        verdicts.put(key, now);
                        pendingVerdicts.remove(key);
                        continue;
                    }
                    if (!now.equals(pendingVerdicts.put(key, now))) {
                        continue; // seen once: confirm at the next check
                    }
                    pendingVerdicts.remove(key);
                    verdicts.put(key, now);
                    String rules = brokenRules(d, i);
                    LOG.info(
                            "event=preflight-verdict channel={} destination={} platform={} input={} from={} to={}"
                                    + " rules=\"{}\"",
                            name,
                            d.destination(),
                            d.platform(),
                            i.input(),
                            before == null ? "-" : before,
                            now,
                            rules);
                    ch.recordVerdictEvent(d.destination(), i.input(), before, now, rules);
                }
            }
        }
        verdicts.keySet().retainAll(seen);
        pendingVerdicts.keySet().retainAll(seen);
    }

    /** Whether a channel this node relays has an input with an encoder: only those have verdicts to check. */
    boolean anyInputWithMedia() {
        for (var entry : channels.entrySet()) {
            if (relays.get(entry.getKey()) != null
                    && !entry.getValue().inputMedia().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** How often {@link #recordVerdictChanges()} runs while some input has an encoder ({@link VerdictChecks}). */
    static final long VERDICT_CHECK_MS = 2_000;

    private static String brokenRules(DestinationPreflight d, io.streamrepeater.status.platform.InputVerdict i) {
        StringBuilder s = new StringBuilder();
        for (Finding f : i.findings()) {
            if (!f.level().equals(Finding.OK)) {
                s.append(s.length() == 0 ? d.platform() + ": " : "; ")
                        .append(f.level())
                        .append(' ')
                        .append(f.rule())
                        .append(" (sends ")
                        .append(f.measured())
                        .append(')');
            }
        }
        return s.length() == 0 ? d.platform() + ": every rule met" : s.toString();
    }

    /** Status of every channel; safe from any thread. */
    public List<ChannelStatus> status() {
        List<ChannelStatus> list = new ArrayList<>();
        channels.forEach((name, ch) -> {
            ChannelRelay relay = relays.get(name); // null in cluster mode while another node holds the channel
            List<io.streamrepeater.status.DestinationStatus> destinations =
                    new ArrayList<>(relay == null ? List.of() : relay.status());
            destinations.addAll(backupIngests.status(name));
            list.add(new ChannelStatus(
                    name,
                    ch.activeInput(),
                    ch.inputStatus(),
                    destinations,
                    ch.compatibility(),
                    null,
                    preflight(name, ch.inputMedia())));
        });
        return list;
    }

    /** Each destination's platform verdicts on what the channel's inputs with an encoder send ({@code media}). */
    private List<DestinationPreflight> preflight(
            String name, java.util.Map<String, io.streamrepeater.status.platform.MediaFacts> media) {
        ChannelConfig cc = configs.get(name);
        List<DestinationPreflight.Target> targets = cc == null
                ? List.of()
                : cc.destinations().stream()
                        .map(d -> new DestinationPreflight.Target(d.name(), d.effectivePlatform(), d.url()))
                        .toList();
        return DestinationPreflight.of(targets, media);
    }

    /** The live channel of that name (in-process API for the operator's switch and drills). */
    public LiveChannel channel(String name) {
        LiveChannel ch = channels.get(name);
        if (ch == null) {
            throw new IllegalArgumentException("no channel '" + name + "'");
        }
        return ch;
    }

    /** The relay of a channel: add, remove, enable and disable its destinations while live. */
    public ChannelRelay relay(String channelName) {
        ChannelRelay relay = relays.get(channelName);
        if (relay == null) {
            throw new IllegalArgumentException(
                    channels.containsKey(channelName)
                            ? "channel '" + channelName + "' is relayed by another node of the cluster; ask that node"
                            : "no channel named '" + channelName + "'");
        }
        return relay;
    }
}
