package io.streamrepeater.media.ts;

import io.netty.buffer.ByteBufUtil;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Collects what a demuxer emits; owns the packets and releases them all on {@link #close()}.
 */
final class DemuxedPackets implements Consumer<MediaPacket>, AutoCloseable {
    final List<MediaPacket> packets = new ArrayList<>();

    /** @param packet ownership passes to this collection */
    @Override
    public void accept(MediaPacket packet) {
        packets.add(packet);
    }

    List<MediaPacket> frames(MediaKind kind) {
        return packets.stream()
                .filter(p -> p.kind() == kind && !p.sequenceHeader())
                .toList();
    }

    List<MediaPacket> sequenceHeaders(MediaKind kind) {
        return packets.stream()
                .filter(p -> p.kind() == kind && p.sequenceHeader())
                .toList();
    }

    /** Every packet as one comparable line: kind, timestamps, flags and the payload in hex. */
    List<String> summary() {
        return packets.stream()
                .map(p -> p.kind() + " dts=" + p.dts() + " pts=" + p.pts() + " key=" + p.isVideoKeyframe() + " header="
                        + p.sequenceHeader() + " " + ByteBufUtil.hexDump(p.payload()))
                .toList();
    }

    @Override
    public void close() {
        packets.forEach(MediaPacket::release);
        packets.clear();
    }
}
