package io.streamrepeater.media.ts;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Arrays;

/**
 * Turns the PES packets of one AAC ADTS stream into FLV audio tag bodies: {@code AF 00} with the
 * AudioSpecificConfig built from the ADTS header before the first frame and whenever it changes, then
 * {@code AF 01} with each raw frame. One PES may carry several ADTS frames; the PTS belongs to the
 * first, and each following one is later by the samples of those before it.
 */
final class AudioPesConverter implements PesAssembler.PesSink {
    private static final int RTMP_TYPE_AUDIO = 8;
    /** FLV audio tag: sound format 10 (AAC), 44 kHz, 16-bit, stereo: what every AAC tag says. */
    private static final int AAC_TAG = 0xAF;

    private static final int AAC_SEQUENCE_HEADER = 0;
    private static final int AAC_RAW = 1;
    private static final int TAG_HEADER_BYTES = 2;
    private static final long TICKS_PER_SECOND = 90_000;

    private final ByteBufAllocator alloc;
    private final TsTimeline timeline;
    private final TsTimeline.Clock clock;
    private final TsCounters counters;
    private final TagOutput output;
    private byte[] emittedConfig;

    AudioPesConverter(ByteBufAllocator alloc, TsTimeline timeline, TsCounters counters, TagOutput output) {
        this.alloc = alloc;
        this.timeline = timeline;
        this.clock = timeline.newClock();
        this.counters = counters;
        this.output = output;
    }

    @Override
    public void lost() {
        // Every AAC frame decodes on its own: nothing to wait for.
    }

    /** @param payload ADTS frames; read only, not retained, not released */
    @Override
    public void pes(PesHeader header, ByteBuf payload) {
        if (!header.hasTimestamps()) {
            counters.audioFramesDropped++;
            return;
        }
        long pts = clock.unwrap(header.pts());
        long samplesBefore = 0;
        int pos = payload.readerIndex();
        int end = payload.writerIndex();
        while (pos < end) {
            AdtsHeader adts = end - pos >= AdtsHeader.MIN_HEADER_BYTES ? AdtsHeader.read(payload, pos) : null;
            if (adts == null || adts.frameLength() > end - pos) {
                counters.audioFramesDropped++; // garbage or a frame cut off: the rest of this PES is unusable
                return;
            }
            int rate = adts.sampleRate();
            long dtsMs = timeline.toMillis(pts + (samplesBefore * TICKS_PER_SECOND + rate / 2) / rate);
            byte[] config = adts.audioSpecificConfig();
            if (!Arrays.equals(config, emittedConfig)) {
                ByteBuf tag = alloc.buffer(TAG_HEADER_BYTES + config.length);
                tag.writeByte(AAC_TAG).writeByte(AAC_SEQUENCE_HEADER).writeBytes(config);
                emittedConfig = config;
                output.emit(RTMP_TYPE_AUDIO, dtsMs, tag);
            }
            int rawLength = adts.frameLength() - adts.headerLength();
            ByteBuf tag = alloc.buffer(TAG_HEADER_BYTES + rawLength);
            tag.writeByte(AAC_TAG).writeByte(AAC_RAW).writeBytes(payload, pos + adts.headerLength(), rawLength);
            output.emit(RTMP_TYPE_AUDIO, dtsMs, tag);
            samplesBefore += adts.samples();
            pos += adts.frameLength();
        }
    }
}
