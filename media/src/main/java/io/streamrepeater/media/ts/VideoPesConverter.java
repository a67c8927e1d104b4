package io.streamrepeater.media.ts;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the PES packets of one H.264 or HEVC stream (one access unit each, Annex B) into FLV video
 * tag bodies: length-prefixed (4-byte) NAL units without access unit delimiters, filler data and
 * parameter sets; the parameter sets instead build the decoder configuration record, sent as a
 * sequence header before the first frame and again whenever it changes.
 *
 * <p>Nothing is emitted before the first decoder configuration, and output starts, and after any
 * loss restarts, at a keyframe: a frame whose references were lost is not sent.
 */
final class VideoPesConverter implements PesAssembler.PesSink {
    private static final int RTMP_TYPE_VIDEO = 9;
    private static final int NAL_LENGTH_BYTES = 4;

    private final NalUnitSyntax syntax;
    private final ByteBufAllocator alloc;
    private final TsTimeline timeline;
    private final TsTimeline.Clock clock;
    private final TsCounters counters;
    private final TagOutput output;

    private List<byte[]> vps = List.of();
    private List<byte[]> sps = List.of();
    private List<byte[]> pps = List.of();
    private byte[] emittedConfiguration;
    private boolean awaitingKeyframe = true;

    VideoPesConverter(
            NalUnitSyntax syntax, ByteBufAllocator alloc, TsTimeline timeline, TsCounters counters, TagOutput output) {
        this.syntax = syntax;
        this.alloc = alloc;
        this.timeline = timeline;
        this.clock = timeline.newClock();
        this.counters = counters;
        this.output = output;
    }

    @Override
    public void lost() {
        awaitingKeyframe = true;
    }

    /** @param payload one access unit in Annex B; read only, not retained, not released */
    @Override
    public void pes(PesHeader header, ByteBuf payload) {
        if (!header.hasTimestamps()) {
            counters.videoFramesDropped++;
            awaitingKeyframe = true;
            return;
        }
        long dts = clock.unwrap(header.dts());
        long pts = dts + TsTimeline.signedStep(header.dts(), header.pts());
        long dtsMs = timeline.toMillis(dts);
        int compositionTimeMs = (int) (timeline.toMillis(pts) - dtsMs);

        int[] units = AnnexB.nalUnits(payload);
        boolean keyframe = false;
        int frameBytes = 0;
        List<byte[]> newVps = new ArrayList<>(1);
        List<byte[]> newSps = new ArrayList<>(1);
        List<byte[]> newPps = new ArrayList<>(1);
        boolean[] kept = new boolean[units.length / 2];
        for (int i = 0; i < units.length; i += 2) {
            int offset = units[i];
            int length = units[i + 1];
            switch (syntax.role(payload, offset)) {
                case VPS -> newVps.add(copy(payload, offset, length));
                case SPS -> newSps.add(copy(payload, offset, length));
                case PPS -> newPps.add(copy(payload, offset, length));
                case KEYFRAME_SLICE -> {
                    keyframe = true;
                    kept[i / 2] = true;
                }
                case FRAME -> kept[i / 2] = true;
                case DROPPED -> {}
            }
            if (kept[i / 2]) {
                frameBytes += NAL_LENGTH_BYTES + length;
            }
        }
        vps = newVps.isEmpty() ? vps : newVps;
        sps = newSps.isEmpty() ? sps : newSps;
        pps = newPps.isEmpty() ? pps : newPps;
        if (!newVps.isEmpty() || !newSps.isEmpty() || !newPps.isEmpty()) {
            emitConfigurationIfChanged(dtsMs);
        }
        if (emittedConfiguration == null || (awaitingKeyframe && !keyframe)) {
            counters.videoFramesDropped++;
            return;
        }
        awaitingKeyframe = false;
        if (frameBytes == 0) {
            return;
        }
        ByteBuf tag = alloc.buffer(syntax.tagHeaderBytes() + frameBytes);
        try {
            syntax.writeFrameTagHeader(tag, keyframe, compositionTimeMs);
            for (int i = 0; i < units.length; i += 2) {
                if (kept[i / 2]) {
                    tag.writeInt(units[i + 1]).writeBytes(payload, units[i], units[i + 1]);
                }
            }
        } catch (RuntimeException e) {
            tag.release();
            throw e;
        }
        output.emit(RTMP_TYPE_VIDEO, dtsMs, tag);
    }

    private void emitConfigurationIfChanged(long dtsMs) {
        byte[] configuration;
        try {
            configuration = syntax.decoderConfiguration(vps, sps, pps);
        } catch (IllegalArgumentException e) {
            // A parameter set we cannot read: keep the last good configuration, skip to a clean keyframe.
            counters.malformedPes++;
            awaitingKeyframe = true;
            return;
        }
        if (configuration == null || Arrays.equals(configuration, emittedConfiguration)) {
            return;
        }
        ByteBuf tag = alloc.buffer(syntax.tagHeaderBytes() + configuration.length);
        syntax.writeSequenceHeaderTag(tag);
        tag.writeBytes(configuration);
        emittedConfiguration = configuration;
        output.emit(RTMP_TYPE_VIDEO, dtsMs, tag);
    }

    private static byte[] copy(ByteBuf buf, int offset, int length) {
        byte[] bytes = new byte[length];
        buf.getBytes(offset, bytes);
        return bytes;
    }
}
