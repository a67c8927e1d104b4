package io.streamrepeater.relay;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write fence of one channel's relay: asked before every connection attempt and every write, it cuts every
 * destination connection of the relay at once the first time the {@link WriteFence} says no (cluster mode: this node's
 * lease on the channel is over, or could have been taken), and from then on says no without asking again. It also
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

    /**
     * @param destinations the relay's live list of destination connections (read when they are cut, not copied)
     */
    RelayFence(String channelName, WriteFence fence, List<Destination> destinations) {
        this.channelName = channelName;
        this.fence = fence;
        this.destinations = destinations;
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
