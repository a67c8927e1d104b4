package io.streamrepeater.app;

import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.relay.ChannelRelay;
import io.streamrepeater.relay.DestinationSpec;
import io.streamrepeater.relay.WriteFence;
import io.streamrepeater.status.DestinationStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode: the relays that push channels' destinations to their platforms' backup ingests ({@code backupUrl}
 * with {@code mode: both}), one per channel whose backup-ingest lease this node holds. The owner of the channel
 * pushes the primary addresses; another node with a live input of the channel pushes the backup addresses, so that
 * one node's death leaves each such destination one ingest that never stopped (the platform fails over between its
 * own two ingests). A relay here carries this node's own output of the channel (its best local input).
 *
 * <p>Called by the cluster coordinator (own, disown, drain) and by the reconciler when a channel's configuration
 * changes; thread-safe.
 */
final class BackupIngestRelays {
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);

    /** Builds a relay of a channel's output behind a fence, with no destination yet. */
    interface RelayFactory {
        ChannelRelay newRelay(ChannelConfig cc, LiveChannel channel, WriteFence fence);
    }

    private record Pushing(ChannelRelay relay, List<DestinationSpec> specs) {}

    private final RelayFactory factory;
    private final Map<String, Pushing> relays = new ConcurrentSkipListMap<>();

    BackupIngestRelays(RelayFactory factory) {
        this.factory = factory;
    }

    /** Whether a channel has destinations whose backup ingests a second node should push. */
    static boolean has(ChannelConfig cc) {
        return cc != null && !ChannelMapping.backupIngestSpecs(cc).isEmpty();
    }

    /**
     * This node took the channel's backup-ingest lease: its backup-ingest connections start now, behind the fence.
     *
     * @return false if there is nothing to push or it already pushes them
     */
    synchronized boolean own(ChannelConfig cc, LiveChannel channel, WriteFence fence) {
        if (cc == null || channel == null || relays.containsKey(cc.name())) {
            return false;
        }
        List<DestinationSpec> specs = ChannelMapping.backupIngestSpecs(cc);
        if (specs.isEmpty()) {
            return false;
        }
        start(cc, channel, fence, specs);
        LOG.info("event=backup-ingests-owner channel={} destinations={}", cc.name(), specs.size());
        return true;
    }

    private void start(ChannelConfig cc, LiveChannel channel, WriteFence fence, List<DestinationSpec> specs) {
        ChannelRelay relay = factory.newRelay(cc, channel, fence);
        specs.forEach(relay::addDestination);
        relays.put(cc.name(), new Pushing(relay, specs));
    }

    /** The lease is gone: the connections drop without a goodbye (the next holder may already publish there). */
    synchronized void disown(String channel, String reason) {
        Pushing p = relays.remove(channel);
        if (p != null) {
            p.relay().abandon(reason);
            LOG.info("event=backup-ingests-follower channel={} reason=\"{}\"", channel, reason);
        }
    }

    /** Drain, or the lease given up: the backup ingests are unpublished cleanly and closed. */
    synchronized Future<Void> close(String channel) {
        Pushing p = relays.remove(channel);
        if (p == null) {
            return ImmediateEventExecutor.INSTANCE.newSucceededFuture(null);
        }
        LOG.info("event=backup-ingests-closed channel={}", channel);
        return p.relay().close();
    }

    /**
     * The channel's configuration changed: when its backup-ingest destinations differ (added, removed, another
     * address, enabled or disabled, other supervision settings), its relay here is rebuilt behind the same fence, so
     * only the backup ingests reconnect; a channel with none left stops pushing.
     */
    synchronized void configChanged(ChannelConfig old, ChannelConfig cc, LiveChannel channel) {
        Pushing p = relays.get(cc.name());
        if (p == null) {
            return;
        }
        List<DestinationSpec> specs = ChannelMapping.backupIngestSpecs(cc);
        if (specs.equals(p.specs()) && old.relay().equals(cc.relay())) {
            return;
        }
        relays.remove(cc.name());
        p.relay().close();
        if (!specs.isEmpty()) {
            start(cc, channel, p.relay().fence(), specs);
        }
        LOG.info("event=backup-ingests-changed channel={} destinations={}", cc.name(), specs.size());
    }

    /** Status rows of the backup-ingest connections this node pushes for the channel (none if it pushes none). */
    List<DestinationStatus> status(String channel) {
        Pushing p = relays.get(channel);
        return p == null ? List.of() : p.relay().status();
    }

    /** Every channel whose backup ingests this node pushes, with its relay (a stop closes them). */
    Map<String, ChannelRelay> relays() {
        Map<String, ChannelRelay> out = new java.util.TreeMap<>();
        relays.forEach((name, p) -> out.put(name, p.relay()));
        return out;
    }
}
