package io.streamrepeater.control.api;

/**
 * A live preview being read (HTTP-FLV): the FLV header first, then one tag per packet of the channel's output, from
 * its last keyframe on, with timestamps starting near zero. The feed is bounded: a reader that does not keep up is
 * dropped (its feed ends) and never slows the channel or its destinations down.
 */
public interface PreviewFeed extends AutoCloseable {
    /**
     * @param timeoutMs how long to wait for the next bytes
     * @return the next bytes to send; empty when nothing came in time; null once the feed has ended (the reader was
     *     too slow, or the channel went away)
     */
    byte[] next(long timeoutMs) throws InterruptedException;

    /** Stops the feed (the client left); safe to call more than once. */
    @Override
    void close();
}
