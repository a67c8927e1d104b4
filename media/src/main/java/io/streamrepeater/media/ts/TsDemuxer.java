package io.streamrepeater.media.ts;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamrepeater.media.MediaPacket;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Demultiplexes an MPEG transport stream (as SRT delivers it) into the {@link MediaPacket}s an RTMP
 * input produces: FLV tag bodies with millisecond timestamps, so that the switcher, GOP cache and relay
 * take them unchanged.
 *
 * <p>It follows the first program of the PAT and, in its PMT, the first H.264 (0x1B) or HEVC (0x24)
 * stream and the first AAC ADTS (0x0F) stream; others are ignored. H.264 comes out as legacy FLV AVC
 * tags, HEVC as Enhanced RTMP {@code hvc1} tags, AAC as FLV AAC tags; each stream's sequence header
 * comes first and again when its configuration changes. Timestamps are unwrapped across the 33-bit
 * wrap and counted from the first timestamp in the stream (see {@link TsTimeline}).
 *
 * <p>Damage: chunks may be split anywhere; lost bytes of sync are skipped; a continuity counter gap
 * drops the PES packet it hit, and video resumes at the next keyframe, so no frame with a hole or a
 * missing reference is emitted. All of it is counted in {@link #stats()}.
 *
 * <p>Ownership: every packet handed to the consumer belongs to the consumer, which must release it.
 * Not thread-safe: feed it from one thread (the ingest connection's event loop).
 */
public final class TsDemuxer implements AutoCloseable {
    /** A default for {@code maxPesBytes}: an 8 MiB access unit is far beyond any live encoder's keyframe. */
    public static final int DEFAULT_MAX_PES_BYTES = 8 << 20;

    private static final int MIN_PES_BYTES = 4096;

    private final ByteBufAllocator alloc;
    private final int maxPesBytes;
    private final Consumer<MediaPacket> consumer;
    private final TsPacketReader reader = new TsPacketReader();
    private final TsCounters counters = new TsCounters();
    private final TsTimeline timeline = new TsTimeline();
    private final PsiSectionAssembler patSection = new PsiSectionAssembler();
    private final PsiSectionAssembler pmtSection = new PsiSectionAssembler();
    private final TsPacketReader.PacketSink packetSink = this::packet;
    private final TagOutput tagOutput = this::emit;

    private int pmtPid = -1;
    private ElementaryStream videoStream;
    private ElementaryStream audioStream;
    private PesAssembler video;
    private PesAssembler audio;
    private long ingestNanos;
    private boolean closed;

    /**
     * @param alloc allocates the PES assembly buffers and the tag bodies of the emitted packets
     * @param maxPesBytes the largest PES packet (one video access unit) accepted, at least 4096; a
     *     larger one ends the stream with a {@link TsDemuxException}
     * @param consumer receives every packet; ownership of each passes to it
     */
    public TsDemuxer(ByteBufAllocator alloc, int maxPesBytes, Consumer<MediaPacket> consumer) {
        if (maxPesBytes < MIN_PES_BYTES) {
            throw new IllegalArgumentException("maxPesBytes must be at least " + MIN_PES_BYTES + ": " + maxPesBytes);
        }
        this.alloc = alloc;
        this.maxPesBytes = maxPesBytes;
        this.consumer = consumer;
    }

    /**
     * Same as {@link #feed(ByteBuf, long)} for packets that are not from a live ingest (ingest time 0).
     *
     * @param chunk the next bytes; consumed (reader index moved to the end), not retained, not released
     */
    public void feed(ByteBuf chunk) {
        feed(chunk, 0);
    }

    /**
     * Demuxes the next bytes of the transport stream, split anywhere, and hands the packets they
     * complete to the consumer before returning.
     *
     * @param chunk the next bytes (e.g. one SRT datagram of 7 packets); all readable bytes are consumed
     *     (reader index moved to the writer index); not retained, not released: the caller keeps ownership
     * @param ingestNanos {@link System#nanoTime()} when the chunk arrived, stamped on the packets it completes
     * @throws TsDemuxException when a limit is exceeded; the demuxer should then be closed
     * @throws IllegalStateException after {@link #close()}
     */
    public void feed(ByteBuf chunk, long ingestNanos) {
        if (closed) {
            throw new IllegalStateException("the transport stream demuxer is closed");
        }
        this.ingestNanos = ingestNanos;
        reader.feed(chunk, packetSink);
    }

    /**
     * The stream has ended: emits the PES packets still being assembled (a video PES without a length
     * is otherwise only known to be complete when the next one starts).
     */
    public void finish() {
        if (video != null) {
            video.flush();
        }
        if (audio != null) {
            audio.flush();
        }
    }

    /** Counters of what was read, damaged, dropped and emitted so far. */
    public TsDemuxStats stats() {
        return counters.snapshot(reader.bytesSkipped());
    }

    /** Releases the buffers of PES packets still being assembled, without emitting them. Idempotent. */
    @Override
    public void close() {
        closed = true;
        closeAssemblers();
    }

    private void packet(ByteBuf buf, int offset) {
        counters.tsPackets++;
        TsPacketHeader header = TsPacketHeader.read(buf, offset);
        if (header == null) {
            counters.transportErrors++;
            return;
        }
        int pid = header.pid();
        if (pid == ProgramAssociationTable.PID) {
            byte[] section = acceptSection(patSection, header, buf);
            int pmt = section == null ? -1 : ProgramAssociationTable.firstProgramMapPid(section);
            if (pmt >= 0 && pmt != pmtPid) {
                pmtPid = pmt;
                pmtSection.reset();
            }
        } else if (pid == pmtPid) {
            byte[] section = acceptSection(pmtSection, header, buf);
            List<ElementaryStream> streams = section == null ? null : ProgramMapTable.streams(section);
            if (streams != null) {
                selectStreams(streams);
            }
        } else if (video != null && pid == videoStream.pid()) {
            video.accept(header, buf);
        } else if (audio != null && pid == audioStream.pid()) {
            audio.accept(header, buf);
        }
    }

    private static byte[] acceptSection(PsiSectionAssembler assembler, TsPacketHeader header, ByteBuf buf) {
        if (header.transportError() || !header.hasPayload()) {
            return null;
        }
        return assembler.accept(header, buf);
    }

    /** Follows the first supported video and audio stream; a PMT that lists the same ones changes nothing. */
    private void selectStreams(List<ElementaryStream> streams) {
        ElementaryStream newVideo = streams.stream()
                .filter(ElementaryStream::isSupportedVideo)
                .findFirst()
                .orElse(null);
        ElementaryStream newAudio = streams.stream()
                .filter(ElementaryStream::isSupportedAudio)
                .findFirst()
                .orElse(null);
        if (!Objects.equals(newVideo, videoStream)) {
            if (video != null) {
                video.close();
                video = null;
            }
            videoStream = newVideo;
            if (newVideo != null) {
                NalUnitSyntax syntax =
                        newVideo.streamType() == ElementaryStream.HEVC ? HevcNalUnits.INSTANCE : AvcNalUnits.INSTANCE;
                video = new PesAssembler(
                        newVideo.pid(),
                        alloc,
                        maxPesBytes,
                        counters,
                        new VideoPesConverter(syntax, alloc, timeline, counters, tagOutput));
            }
        }
        if (!Objects.equals(newAudio, audioStream)) {
            if (audio != null) {
                audio.close();
                audio = null;
            }
            audioStream = newAudio;
            if (newAudio != null) {
                audio = new PesAssembler(
                        newAudio.pid(),
                        alloc,
                        maxPesBytes,
                        counters,
                        new AudioPesConverter(alloc, timeline, counters, tagOutput));
            }
        }
    }

    private void emit(int rtmpTypeId, long dtsMs, ByteBuf tagBody) {
        MediaPacket packet = MediaPacket.fromRtmp(rtmpTypeId, dtsMs, tagBody, ingestNanos);
        counters.packetsEmitted++;
        consumer.accept(packet);
    }

    private void closeAssemblers() {
        if (video != null) {
            video.close();
        }
        if (audio != null) {
            audio.close();
        }
    }
}
