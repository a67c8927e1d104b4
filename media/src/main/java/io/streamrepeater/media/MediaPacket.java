package io.streamrepeater.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One audio, video or data message on its way through the relay: timestamps, what the tag header
 * says, and the complete FLV tag body exactly as it travels in the RTMP message (tag header
 * included), so that it can be written out again byte for byte.
 *
 * <p>Ownership: a {@code MediaPacket} owns one reference to its payload. Whoever holds a packet
 * releases it ({@link #release()}) or hands it on; every method that returns a new packet says
 * whether the receiver keeps ownership of {@code this}. Instances are not thread-safe beyond what
 * reference counting gives: hand them between threads, do not share them.
 */
public final class MediaPacket extends DefaultByteBufHolder {
    static final int RTMP_TYPE_AUDIO = 8;
    static final int RTMP_TYPE_VIDEO = 9;

    private final int rtmpTypeId;
    private final MediaKind kind;
    private final long dts;
    private final long pts;
    private final VideoTagInfo video;
    private final AudioTagInfo audio;
    private final boolean metadata;
    private final long ingestNanos;

    private MediaPacket(
            int rtmpTypeId,
            MediaKind kind,
            long dts,
            long pts,
            VideoTagInfo video,
            AudioTagInfo audio,
            boolean metadata,
            long ingestNanos,
            ByteBuf payload) {
        super(payload);
        this.ingestNanos = ingestNanos;
        this.rtmpTypeId = rtmpTypeId;
        this.kind = kind;
        this.dts = dts;
        this.pts = pts;
        this.video = video;
        this.audio = audio;
        this.metadata = metadata;
    }

    /**
     * Builds a packet from an RTMP message, probing the tag header once.
     *
     * @param rtmpTypeId 8 audio, 9 video, 18 AMF0 data or 15 AMF3 data
     * @param timestampMs the message timestamp, taken as the DTS in ms
     * @param payload the message body (the FLV tag body); ownership passes to the returned packet,
     *     and to this method if it throws (the payload is then released)
     * @return a packet that the caller owns and must release
     * @throws IllegalArgumentException for any other message type
     */
    public static MediaPacket fromRtmp(int rtmpTypeId, long timestampMs, ByteBuf payload) {
        return fromRtmp(rtmpTypeId, timestampMs, payload, 0);
    }

    /**
     * Same as {@link #fromRtmp(int, long, ByteBuf)}, stamped with when the ingest message was complete, so the
     * relay can measure the latency it adds.
     *
     * @param ingestNanos {@link System#nanoTime()} when the message arrived; 0 for packets not from a live ingest
     * @param payload the message body; ownership passes to the returned packet (released here if this throws)
     * @return a packet that the caller owns and must release
     */
    public static MediaPacket fromRtmp(int rtmpTypeId, long timestampMs, ByteBuf payload, long ingestNanos) {
        switch (rtmpTypeId) {
            case RTMP_TYPE_VIDEO: {
                VideoTagInfo info = FlvTags.probeVideo(payload);
                return new MediaPacket(
                        rtmpTypeId,
                        MediaKind.VIDEO,
                        timestampMs,
                        timestampMs + info.compositionTimeMs(),
                        info,
                        null,
                        false,
                        ingestNanos,
                        payload);
            }
            case RTMP_TYPE_AUDIO:
                return new MediaPacket(
                        rtmpTypeId,
                        MediaKind.AUDIO,
                        timestampMs,
                        timestampMs,
                        null,
                        FlvTags.probeAudio(payload),
                        false,
                        ingestNanos,
                        payload);
            case MetadataTag.RTMP_TYPE_DATA_AMF0:
            case MetadataTag.RTMP_TYPE_DATA_AMF3:
                return new MediaPacket(
                        rtmpTypeId,
                        MediaKind.DATA,
                        timestampMs,
                        timestampMs,
                        null,
                        null,
                        MetadataTag.isOnMetaData(rtmpTypeId, payload),
                        ingestNanos,
                        payload);
            default:
                payload.release();
                throw new IllegalArgumentException("RTMP message type " + rtmpTypeId
                        + " is not media: expected 8 (audio), 9 (video), 18 (AMF0 data) or 15 (AMF3 data)");
        }
    }

    /** {@link System#nanoTime()} when the packet's ingest message was complete; 0 if not from a live ingest. */
    public long ingestNanos() {
        return ingestNanos;
    }

    /** The RTMP message type to send this packet with (8, 9, 18 or 15). */
    public int rtmpTypeId() {
        return rtmpTypeId;
    }

    public MediaKind kind() {
        return kind;
    }

    /** Decoding timestamp in ms. */
    public long dts() {
        return dts;
    }

    /** Presentation timestamp in ms: DTS plus the composition time for video, the DTS otherwise. */
    public long pts() {
        return pts;
    }

    /** PTS minus DTS in ms; 0 for audio and data. */
    public long compositionTimeMs() {
        return pts - dts;
    }

    /** True for a video coded frame of frame type 1 (a decoder can start here). */
    public boolean isVideoKeyframe() {
        return video != null && video.keyframe();
    }

    /** Same as {@link #isVideoKeyframe()}: only video has keyframes. */
    public boolean keyframe() {
        return isVideoKeyframe();
    }

    /** True for a video or audio decoder configuration (AVC/HEVC/AV1 sequence start, AAC/Opus config). */
    public boolean sequenceHeader() {
        return (video != null && video.sequenceHeader()) || (audio != null && audio.sequenceHeader());
    }

    /** True for a data message carrying {@code onMetaData} (with or without {@code @setDataFrame}). */
    public boolean metadata() {
        return metadata;
    }

    /** The video codec, or {@code null} when this is not video. */
    public VideoCodec videoCodec() {
        return video == null ? null : video.codec();
    }

    /** The audio codec, or {@code null} when this is not audio. */
    public AudioCodec audioCodec() {
        return audio == null ? null : audio.codec();
    }

    /** Everything the video tag header says, or {@code null} when this is not video. */
    public VideoTagInfo videoInfo() {
        return video;
    }

    /** Everything the audio tag header says, or {@code null} when this is not audio. */
    public AudioTagInfo audioInfo() {
        return audio;
    }

    /** The FLV tag body; same as {@link #content()}. Not retained by this call: the packet still owns it. */
    public ByteBuf payload() {
        return content();
    }

    /**
     * A packet with the DTS set to {@code newDts} and the PTS moved by the same amount, sharing the
     * payload bytes through a retained duplicate (no copy).
     *
     * @return a new packet that the caller owns and must release; the caller still owns {@code this}
     */
    public MediaPacket withDts(long newDts) {
        return new MediaPacket(
                rtmpTypeId,
                kind,
                newDts,
                pts + (newDts - dts),
                video,
                audio,
                metadata,
                ingestNanos,
                content().retainedDuplicate());
    }

    /**
     * The same packet over a retained duplicate of the payload (shared bytes, own reader index).
     *
     * @return a new packet that the caller owns and must release; the caller still owns {@code this}
     */
    @Override
    public MediaPacket retainedDuplicate() {
        return replace(content().retainedDuplicate());
    }

    /**
     * The same packet over an unretained duplicate of the payload; prefer {@link #retainedDuplicate()}.
     *
     * @return a packet sharing {@code this}'s reference: releasing either releases both
     */
    @Override
    public MediaPacket duplicate() {
        return replace(content().duplicate());
    }

    /**
     * The same packet over a deep copy of the payload; the relay itself never needs this.
     *
     * @return a new packet that the caller owns and must release
     */
    @Override
    public MediaPacket copy() {
        return replace(content().copy());
    }

    /**
     * The same timestamps and flags over another payload.
     *
     * @param content the new payload; ownership passes to the returned packet
     * @return a new packet that the caller owns and must release; {@code this} is unaffected
     */
    @Override
    public MediaPacket replace(ByteBuf content) {
        return new MediaPacket(rtmpTypeId, kind, dts, pts, video, audio, metadata, ingestNanos, content);
    }

    /** Adds one reference: the caller owns one more and must release it. */
    @Override
    public MediaPacket retain() {
        super.retain();
        return this;
    }

    /** Adds {@code increment} references: the caller owns that many more. */
    @Override
    public MediaPacket retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public MediaPacket touch() {
        super.touch();
        return this;
    }

    @Override
    public MediaPacket touch(Object hint) {
        super.touch(hint);
        return this;
    }

    /**
     * Identity: two packets are the same packet only if they are the same object, whatever their
     * bytes (compare payloads with {@code ByteBufUtil.equals} when that is what you mean).
     */
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("MediaPacket{")
                .append(kind)
                .append(", type=")
                .append(rtmpTypeId)
                .append(", dts=")
                .append(dts)
                .append(", pts=")
                .append(pts);
        if (video != null) {
            text.append(", ").append(video.codec()).append(", frameType=").append(video.frameType());
        }
        if (audio != null) {
            text.append(", ").append(audio.codec());
        }
        if (isVideoKeyframe()) {
            text.append(", keyframe");
        }
        if (sequenceHeader()) {
            text.append(", sequenceHeader");
        }
        if (metadata) {
            text.append(", metadata");
        }
        return text.append(", bytes=")
                .append(content().readableBytes())
                .append('}')
                .toString();
    }
}
