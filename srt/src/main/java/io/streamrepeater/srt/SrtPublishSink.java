package io.streamrepeater.srt;

import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.status.SrtLinkStatus;

/**
 * One SRT publish, as the application receives it. All calls come from the connection's own thread, in
 * order; {@link #end} is called exactly once and nothing follows it.
 */
public interface SrtPublishSink {
    /**
     * A demuxed audio or video packet (sequence headers first, as an RTMP input sends them).
     *
     * @param packet ownership passes to the sink, which must release it
     */
    void packet(MediaPacket packet);

    /** The connection's statistics, about once a second. */
    void statistics(SrtLinkStatus statistics);

    /** The publish is over: {@code reason} says why ({@code peer closed}, {@code server closed}…). */
    void end(String reason);
}
