package io.streamrepeater.channel;

import io.streamrepeater.media.CodecHeaders;
import io.streamrepeater.media.GopCache;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel's output: the timeline its packets are rebased onto, what the destinations last received (replayed to
 * one that connects), and the consumers (the relay). Used on the channel's event loop; consumers may be added and
 * removed from any thread.
 */
final class OutputFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveChannel.class);
    private final String channel;
    private final List<ChannelOutput> outputs = new CopyOnWriteArrayList<>();
    private final OutputTimeline timeline = new OutputTimeline();
    /** What the destinations last received: replayed to a destination that (re)connects. */
    private final CodecHeaders headers = new CodecHeaders();

    private final GopCache gop = new GopCache(LiveChannel.GOP_MAX_BYTES, LiveChannel.GOP_MAX_PACKETS);

    OutputFeed(String channel) {
        this.channel = channel;
    }

    OutputTimeline timeline() {
        return timeline;
    }

    void add(ChannelOutput output) {
        outputs.add(output);
    }

    void remove(ChannelOutput output) {
        outputs.remove(output);
    }

    /**
     * What a destination that connects now must receive first: metadata, sequence headers, then the current GOP from
     * its keyframe, all on the output timeline.
     *
     * @return retained packets; the caller releases each
     */
    List<MediaPacket> startupPackets() {
        List<MediaPacket> all = new ArrayList<>(headers.retainedAll());
        all.addAll(gop.snapshot());
        return all;
    }

    /**
     * Sends a header/metadata packet at the current output time if it differs from what was sent.
     *
     * @param header borrowed
     */
    void header(MediaPacket header) {
        MediaPacket out = header.withDts(timeline.lastDts());
        try {
            if (headers.update(out)) {
                fanOut(out);
            }
        } finally {
            out.release();
        }
    }

    /**
     * Sends a media packet of the active input on the output timeline, unless it refers to frames the destinations
     * never got (a picture presented before the segment's keyframe) or overlaps audio already sent.
     *
     * @param packet borrowed
     */
    void media(MediaPacket packet, long now) {
        if (packet.kind() == MediaKind.VIDEO && !timeline.admitsVideo(packet.isVideoKeyframe(), packet.pts())) {
            return; // refers to frames the destinations never got
        }
        if (packet.kind() == MediaKind.AUDIO && !timeline.admitsAudio(packet.dts())) {
            return; // overlaps audio already sent (late audio of a new input)
        }
        MediaPacket out = packet.withDts(timeline.map(packet.kind(), packet.dts(), packet.compositionTimeMs(), now));
        try {
            gop.add(out);
            fanOut(out);
        } finally {
            out.release();
        }
    }

    private void fanOut(MediaPacket out) {
        for (ChannelOutput o : outputs) {
            try {
                o.packet(out);
            } catch (RuntimeException e) {
                LOG.error("event=output-error channel={} error=\"{}\"", channel, e.toString(), e);
            }
        }
    }

    @Override
    public void close() {
        headers.close();
        gop.close();
    }
}
