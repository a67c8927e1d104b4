package io.streamrepeater.srt;

import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.status.SrtLinkStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A publish sink that notes what it receives and releases every packet at once. */
final class RecordingSink implements SrtPublishSink {

    /** What a test needs of one packet, kept after the packet is released. */
    record Received(MediaKind kind, long dts, boolean keyframe, boolean sequenceHeader) {}

    final List<Received> packets = new CopyOnWriteArrayList<>();
    final List<SrtLinkStatus> statistics = new CopyOnWriteArrayList<>();
    final AtomicReference<String> endReason = new AtomicReference<>();
    final AtomicInteger ends = new AtomicInteger();
    final AtomicInteger callsAfterEnd = new AtomicInteger();

    @Override
    public void packet(MediaPacket packet) {
        try {
            noteCallAfterEnd();
            packets.add(new Received(packet.kind(), packet.dts(), packet.isVideoKeyframe(), packet.sequenceHeader()));
        } finally {
            packet.release();
        }
    }

    @Override
    public void statistics(SrtLinkStatus sample) {
        noteCallAfterEnd();
        statistics.add(sample);
    }

    @Override
    public void end(String reason) {
        noteCallAfterEnd();
        endReason.set(reason);
        ends.incrementAndGet();
    }

    List<Received> of(MediaKind kind) {
        return packets.stream().filter(p -> p.kind() == kind).toList();
    }

    boolean ended() {
        return ends.get() > 0;
    }

    private void noteCallAfterEnd() {
        if (ends.get() > 0) {
            callsAfterEnd.incrementAndGet();
        }
    }
}
