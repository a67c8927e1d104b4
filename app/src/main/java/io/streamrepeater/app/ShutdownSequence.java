package io.streamrepeater.app;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import io.streamrepeater.control.store.ConfigChangeListener;
import io.streamrepeater.control.store.ConfigStore;
import io.streamrepeater.control.webhooks.WebhookDispatcher;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stop of a server, in the order that lets every peer see a clean end, within one deadline: (a) no change heard
 * from the store may start anything; (b) no new connection is accepted; (c) every publishing encoder is told
 * {@code NetStream.Unpublish.Success} and let go; (d) every live destination is unpublished ({@code FCUnpublish},
 * {@code deleteStream}) and closed; (e) the cluster's heartbeats, the API, the channels, the webhooks, the event loops
 * and the store stop. Whatever is not done by the deadline is logged and left behind.
 *
 * <p>Apart from {@link Server}, which decides when a stop runs (once, whoever asks); this class is only the order of
 * its steps. Logs under the server's name, as before the split.
 */
final class ShutdownSequence {
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);

    /**
     * What a server is made of, as far as a stop is concerned; a part that never started (a start that failed
     * half-way, or a part this server does not have) is null.
     *
     * @param configChanges cluster mode's listener to the store's changes; null when alone
     * @param cluster cluster mode's heartbeats and leases; null when alone
     * @param http the API and thumbnails; null when HTTP is disabled
     */
    record Parts(
            ConfigChangeListener configChanges,
            IngestListeners ingest,
            ChannelReconciler channels,
            ClusterCoordinator cluster,
            HttpControlPlane http,
            WebhookDispatcher webhooks,
            EventLoopGroup boss,
            ConfigStore store,
            EventLoopGroup workers) {}

    private ShutdownSequence() {}

    /**
     * Runs every step in order.
     *
     * @param budget the whole stop's deadline
     * @param encoderStatus the status text an encoder gets when the stop ends its publish
     * @return true when every step finished within the deadline
     */
    static boolean run(Parts parts, Duration budget, String encoderStatus) {
        ShutdownDeadline deadline = new ShutdownDeadline(budget);
        IngestListeners ingest = parts.ingest();
        ChannelReconciler channels = parts.channels();
        LOG.info(
                "event=shutdown-started ingestConnections={} channels={} deadlineMs={}",
                ingest == null ? 0 : ingest.connections(),
                channels == null ? 0 : channels.relays().size(),
                budget.toMillis());
        if (parts.configChanges() != null) {
            // first: no change heard from the store may start anything while the rest stops
            deadline.run("configuration listener", parts.configChanges()::close);
        }
        if (ingest != null) {
            ingest.closeListeners(deadline);
            ingest.endEncoders(deadline, encoderStatus);
        }
        if (channels != null) {
            Map<String, Future<?>> closing = new LinkedHashMap<>();
            channels.relays().forEach((name, relay) -> closing.put("destinations of channel " + name, relay.close()));
            closing.forEach(deadline::await);
        }
        if (parts.cluster() != null) {
            // no lease is released: they run out within leaseMs and another node with a live input takes over
            deadline.run("cluster heartbeats and leases", parts.cluster()::close);
        }
        if (parts.http() != null) {
            parts.http().close(deadline);
        }
        if (ingest != null) {
            ingest.closeTls();
        }
        if (channels != null) {
            channels.channels()
                    .forEach((name, ch) ->
                            deadline.await("channel " + name, ch.loop().submit(ch::close)));
        }
        deadline.run("webhooks", parts.webhooks()::close);
        deadline.await("boss event loop", parts.boss().shutdownGracefully(0, 1, TimeUnit.SECONDS));
        if (parts.store() != null) {
            deadline.run("store", parts.store()::close);
        }
        deadline.await("worker event loops", parts.workers().shutdownGracefully(0, 1, TimeUnit.SECONDS));
        List<String> pending = deadline.pending();
        if (!pending.isEmpty()) {
            LOG.warn("event=shutdown-pending deadlineMs={} what=\"{}\"", budget.toMillis(), String.join(", ", pending));
        }
        LOG.info("event=shutdown-complete elapsedMs={} pending={}", deadline.elapsedMs(), pending.size());
        return pending.isEmpty();
    }
}
