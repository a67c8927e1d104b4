package io.streamrepeater.channel;

import io.streamrepeater.media.MediaPacket;

/**
 * A tap on one input of a channel: every packet its encoder sends, on the input's own timestamps (not the output
 * timeline), whether the input is active or standby, and the start and end of each encoder session. Forwarding a
 * local input to the channel's owner on another node is built on it. Every method is called on the channel's event
 * loop and must not block.
 */
public interface InputListener {
    /**
     * One packet of the input, after the channel has taken it into the input's caches (so a snapshot taken on the
     * loop before this call does not hold it, and one taken after does).
     *
     * @param packet borrowed: valid for the duration of the call; retain it to keep it
     */
    void packet(MediaPacket packet);

    /** An encoder session started on the input (also called at once when the listener is added to a live input). */
    default void started() {}

    /**
     * The input's encoder session ended (disconnect, unpublish), the input was removed from the channel, or the
     * channel closed; no packet follows until {@link #started()}.
     */
    default void ended(String reason) {}
}
