package io.streamrepeater.app;

import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.relay.ChannelRelay;
import io.streamrepeater.status.RehearsalReport;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A failover drill of one channel, as the operator asks for it: the channel's active input is treated as failed for a
 * while, and the report adds what each destination was sent meanwhile and how often it reconnected (expected:
 * never). A drill spans two layers that do not know each other, the channel (the drill itself) and its relay (the
 * destinations' counting), so the composition root puts them together here, on the channel's event loop.
 */
final class FailoverDrill {
    private FailoverDrill() {}

    /**
     * Runs the drill; the destinations' counting starts just before it, on the channel's loop.
     *
     * @return completes with the channel's report and the destinations' deliveries, or with the drill's failure
     */
    static CompletableFuture<RehearsalReport> run(LiveChannel ch, ChannelRelay relay, Duration duration) {
        CompletableFuture<RehearsalReport> result = new CompletableFuture<>();
        // on the channel's loop, in this order: the destinations' counting starts just before the drill does
        ch.loop().execute(() -> {
            Map<String, Long> reconnectsAtStart = relay.openDeliveryWindows();
            ch.rehearse(duration).addListener(f -> {
                if (!f.isSuccess()) {
                    result.completeExceptionally(f.cause());
                    return;
                }
                // the listener runs on the channel's loop, where the destinations count
                result.complete(((RehearsalReport) f.getNow()).withDestinations(relay.deliveries(reconnectsAtStart)));
            });
        });
        return result;
    }
}
