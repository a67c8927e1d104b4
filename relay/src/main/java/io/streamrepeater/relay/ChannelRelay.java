package io.streamrepeater.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.streamrepeater.channel.ChannelOutput;
import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.rtmp.chunk.ChunkEncoder;
import io.streamrepeater.rtmp.chunk.RawMessage;
import io.streamrepeater.rtmp.session.RtmpUrl;
import io.streamrepeater.status.DestinationStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * The fan-out of one channel: each output packet is encoded into RTMP chunks once and the same
 * bytes (retained duplicates) are written to every live destination. Runs on the channel's event
 * loop, like the channel and the destination connections.
 */
public final class ChannelRelay implements ChannelOutput {
    static final int AUDIO_CHUNK_STREAM = 4;
    static final int DATA_CHUNK_STREAM = 5;
    static final int VIDEO_CHUNK_STREAM = 6;

    private final LiveChannel channel;
    private final EventLoop loop;
    private final OutboundConnector connector;
    private final ByteBufAllocator alloc;
    private final List<Destination> destinations = new java.util.concurrent.CopyOnWriteArrayList<>();

    public ChannelRelay(LiveChannel channel, EventLoop loop, OutboundConnector connector, ByteBufAllocator alloc) {
        this.channel = channel;
        this.loop = loop;
        this.connector = connector;
        this.alloc = alloc;
        channel.addOutput(this);
    }

    /** Adds a destination and starts connecting it; the others are not touched. */
    public void addDestination(String name, RtmpUrl url) {
        Destination d = new Destination(channel.name(), name, url, loop, connector, this);
        destinations.add(d);
        d.start();
    }

    /** Stops and removes a destination; the others are not touched. */
    public void removeDestination(String name) {
        for (Destination d : destinations) {
            if (d.name().equals(name)) {
                destinations.remove(d);
                d.stop();
            }
        }
    }

    public List<DestinationStatus> status() {
        List<DestinationStatus> list = new ArrayList<>();
        for (Destination d : destinations) {
            list.add(d.status());
        }
        return list;
    }

    /** A destination just went live: give it the headers and the current GOP, then live packets. */
    void destinationLive(Destination d) {
        d.awaitKeyframe();
        for (MediaPacket p : channel.startupPackets()) {
            try {
                writeTo(d, p);
            } finally {
                p.release();
            }
        }
    }

    @Override
    public void packet(MediaPacket packet) {
        ByteBuf encoded = null;
        int encodedStreamId = -1;
        try {
            for (Destination d : destinations) {
                if (!d.isLive()) {
                    continue;
                }
                if (encoded == null || encodedStreamId != d.messageStreamId()) {
                    // Destinations normally share one message stream id, so this encodes once.
                    if (encoded != null) {
                        encoded.release();
                    }
                    encodedStreamId = d.messageStreamId();
                    encoded = encode(packet, encodedStreamId);
                }
                d.write(encoded, packet.isVideoKeyframe(), isHeader(packet));
            }
        } finally {
            if (encoded != null) {
                encoded.release();
            }
        }
    }

    private void writeTo(Destination d, MediaPacket p) {
        ByteBuf encoded = encode(p, d.messageStreamId());
        try {
            d.write(encoded, p.isVideoKeyframe(), isHeader(p));
        } finally {
            encoded.release();
        }
    }

    private static boolean isHeader(MediaPacket p) {
        return p.sequenceHeader() || p.metadata();
    }

    /** Encodes a packet as chunks; the result is owned by the caller. */
    private ByteBuf encode(MediaPacket p, int messageStreamId) {
        int csid = switch (p.kind()) {
            case AUDIO -> AUDIO_CHUNK_STREAM;
            case VIDEO -> VIDEO_CHUNK_STREAM;
            case DATA -> DATA_CHUNK_STREAM;
        };
        RawMessage raw = new RawMessage(csid, p.rtmpTypeId(), p.dts(), messageStreamId, p.content().retainedDuplicate());
        try {
            return ChunkEncoder.encodeStandalone(raw, OutboundConnector.CHUNK_SIZE, alloc);
        } finally {
            raw.release();
        }
    }

    /** Stops every destination. */
    public void close() {
        channel.removeOutput(this);
        for (Destination d : destinations) {
            d.stop();
        }
        destinations.clear();
    }
}
