package io.streamrepeater.app;

import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.control.store.ConfigChangeListener;
import io.streamrepeater.control.store.ConfigStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode: makes this node's channels follow the shared store. Every channel change committed there (by any
 * node's API, this one's included) goes live here within the notification's delay, through the same validation and
 * live-apply path of {@link ChannelReconciler} as a local change, without being written back; a full re-read every
 * {@link ConfigChangeListener#RESYNC_PERIOD} and after every reconnection of the listener catches what a notification
 * missed.
 *
 * <p>Apart from {@link ChannelReconciler} so that the reconciler has one job (a configuration to running channels)
 * and this class another (what the store says, compared with what runs here). Every read and apply runs under the
 * reconciler's lock, the one its own changes take, so that a change made meanwhile through this node's API cannot be
 * undone by an older read. Logs under the server's name, as before the split.
 */
final class StoredConfigFollower implements ConfigChangeListener.Changes {
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);

    private final ChannelReconciler channels;
    private final ConfigStore store;

    StoredConfigFollower(ChannelReconciler channels, ConfigStore store) {
        this.channels = channels;
        this.store = store;
    }

    /**
     * Starts following the store's announced changes (PostgreSQL only) on a thread of its own.
     *
     * @param node this node's name, for the listener thread's name
     * @return the listener; close it to stop following
     */
    static ConfigChangeListener start(ChannelReconciler channels, ConfigStore store, String database, String node) {
        return ConfigChangeListener.start(
                database,
                new StoredConfigFollower(channels, store),
                ConfigChangeListener.RESYNC_PERIOD,
                "config-listener-" + node);
    }

    @Override
    public void changed(String channel) {
        followStored(channel);
    }

    @Override
    public void resync(String reason) {
        resyncStored(reason);
    }

    /**
     * A channel as another node (or this one) saved it in the shared store goes live here, through the same
     * validation and live-apply path as {@link ChannelReconciler#applyChannel}, without being written back. A
     * configuration equal to the one in force is a no-op (a node hears its own changes too: no destination reconnects
     * for them).
     *
     * @return true if something changed here
     * @throws IllegalArgumentException when the channel cannot go live here (an input key still used by another
     *     channel here, a webhook host this node does not allow); nothing is changed
     */
    boolean applyStored(ChannelConfig cc) {
        synchronized (channels) {
            ChannelConfig current = channels.configInForce(cc.name());
            if (cc.equals(current)) {
                return false;
            }
            channels.validate(cc);
            LOG.info(
                    "event=config-changed-elsewhere channel={} change={}",
                    cc.name(),
                    current == null ? "created" : "updated");
            channels.applyLive(cc);
            return true;
        }
    }

    /**
     * A channel deleted from the shared store (by another node, or this one) stops here too, as
     * {@link ChannelReconciler#deleteChannel} stops it, without touching the store.
     *
     * @return true if it was running here
     */
    boolean removeStored(String name) {
        synchronized (channels) {
            if (!channels.channels().containsKey(name)) {
                return false;
            }
            LOG.info("event=config-changed-elsewhere channel={} change=deleted", name);
            channels.stopChannel(name);
            return true;
        }
    }

    /**
     * Re-reads one channel from the store (a notification named it) and applies what differs. Reads and applies
     * under the reconciler's lock, so that a change made meanwhile through this node's API cannot be undone by an
     * older read.
     *
     * @throws io.streamrepeater.control.store.StoreException when the store does not answer
     */
    void followStored(String name) {
        synchronized (channels) {
            Optional<ChannelConfig> stored = store.channel(name);
            if (stored.isPresent()) {
                try {
                    applyStored(stored.get());
                } catch (IllegalArgumentException e) {
                    // e.g. a key moved from another channel whose change is not here yet: the whole picture settles it
                    LOG.info("event=config-follow-resync channel={} reason=\"{}\"", name, e.getMessage());
                    resyncStored("conflict");
                }
            } else {
                removeStored(name);
            }
        }
    }

    /**
     * Re-reads every channel from the store and applies what differs here (the safety net behind the
     * notifications): deleted channels first, so that a key that moved to another channel is free when that one comes.
     *
     * @return how many channels changed here
     * @throws io.streamrepeater.control.store.StoreException when the store does not answer
     */
    int resyncStored(String reason) {
        synchronized (channels) {
            List<ChannelConfig> stored = store.channels();
            Set<String> names = new HashSet<>();
            stored.forEach(c -> names.add(c.name()));
            int changed = 0;
            for (String name : new ArrayList<>(channels.channels().keySet())) {
                if (!names.contains(name) && removeStored(name)) {
                    changed++;
                }
            }
            for (ChannelConfig cc : stored) {
                try {
                    if (applyStored(cc)) {
                        changed++;
                    }
                } catch (IllegalArgumentException e) {
                    LOG.warn("event=config-change-refused channel={} reason=\"{}\"", cc.name(), e.getMessage());
                }
            }
            if (changed > 0) {
                LOG.info("event=config-resynced reason={} channelsChanged={}", reason, changed);
            }
            return changed;
        }
    }
}
