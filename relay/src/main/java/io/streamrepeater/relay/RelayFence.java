package io.streamrepeater.relay;

import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write fence of one channel's relay: asked before every connection attempt and every write, it cuts every
 * destination connection of the relay at once the first time the {@link WriteFence} says no (cluster mode: this node's
 * lease on the channel is over, or could have been taken), and from then on says no without asking again. It also
 * watches the fence's deadline with a timer, so that a fence running out while nothing is written (a node cut off from
 * its encoders as well as from the store) still drops the connections at that moment, not at the next write; and it
 * remembers when the relay was built, so that a destination refusing the publish just after this node took the
 * channel over is read as the previous owner's session still lingering there, not as a wrong key.
 *
 * <p>Apart from {@link ChannelRelay} so that the fan-out (encode once, write to every destination) and the question
 * "may this node write at all" each have their own class. Used on the channel's event loop only. Logs under the
 * relay's name, as before the split.
 */
final class RelayFence {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelRelay.class);

    private final String channelName;
    private final WriteFence fence;
    /** The relay's destination connections (its own live list), cut when the fence says no. */
    private final List<Destination> destinations;
    /** When the relay was built ({@link System#nanoTime()}). */
    private final long startedNanos = System.nanoTime();
    /** Set (on the event loop) once the fence said no: every connection was dropped, nothing more is written. */
    private boolean fenced;

    private final EventLoop loop;
    /** The next look at the fence's deadline, if it has one; replaced at each look, cancelled by {@link #close()}. */
    private volatile ScheduledFuture<?> expiry;

    /**
     * @param destinations the relay's live list of destination connections (read when they are cut, not copied)
     * @param loop the relay's event loop, where the deadline is watched
     */
    RelayFence(String channelName, WriteFence fence, List<Destination> destinations, EventLoop loop) {
        this.channelName = channelName;
        this.fence = fence;
        this.destinations = destinations;
        this.loop = loop;
        watchDeadline();
    }

    /** Looks again when the fence would run out (renewals move the deadline on; one timer per tenure period). */
    private void watchDeadline() {
        long left = fence.nanosLeft();
        if (fenced || left == Long.MAX_VALUE) {
            return;
        }
        expiry = loop.schedule(this::deadlineReached, Math.max(0, left), TimeUnit.NANOSECONDS);
    }

    private void deadlineReached() {
        if (fenced) {
            return;
        }
        if (fence.mayWrite()) {
            watchDeadline();
        } else {
            cutAll("the lease ran out on this node's clock without a renewal (neither the store nor every peer"
                    + " confirmed it in time)");
        }
    }

    /** Stops watching the deadline (the relay is closed). */
    void close() {
        ScheduledFuture<?> next = expiry;
        if (next != null) {
            next.cancel(false);
        }
    }

    /**
     * Asks the fence; the first no drops every destination connection at once (no unpublish: that is a write too).
     * Called on the event loop before every connection attempt and every write.
     *
     * @return true if writing is allowed
     */
    boolean mayWrite() {
        if (fenced) {
            return false;
        }
        if (fence.mayWrite()) {
            return true;
        }
        cutAll("this node may no longer write to the channel's destinations (its lease is over or could have been"
                + " taken)");
        return false;
    }

    /** Drops every destination connection at once, without a goodbye; nothing is written afterwards (event loop). */
    void cutAll(String reason) {
        if (fenced) {
            return;
        }
        fenced = true;
        LOG.warn(
                "event=relay-fenced channel={} destinations={} reason=\"{}\"",
                channelName,
                destinations.size(),
                reason);
        for (Destination d : destinations) {
            d.cut("fenced: this node no longer holds the channel");
        }
    }

    /**
     * Whether a destination's refusal of the publish may be the previous publisher's session, still open at the
     * destination, rather than a wrong key: in cluster mode within {@link Destination#LINGER_MS} of the relay's
     * start (the previous owner's connection may still be open there: a frozen or cut-off node's socket stays open
     * until the platform drops an idle publisher).
     */
    boolean justTookOver(long nowNanos) {
        return fence != WriteFence.OPEN
                && nowNanos - startedNanos < TimeUnit.MILLISECONDS.toNanos(Destination.LINGER_MS);
    }

    /** @return the fence the relay writes behind */
    WriteFence fence() {
        return fence;
    }

    /** @return true once the fence said no and the destinations were dropped (read on the event loop) */
    boolean fenced() {
        return fenced;
    }
}
