package io.streamrepeater.testkit;

import java.util.List;

/**
 * What a destination got, as ffprobe and the decoders it runs see it (see {@link Ffprobe}). Only the first
 * video and the first audio stream are counted. Timestamps are milliseconds.
 *
 * @param videoKeyframes video packets flagged as keyframes
 * @param firstVideoPacketIsKeyframe false also when there is no video
 * @param videoDtsMonotonic each video DTS is greater than or equal to the one before
 * @param audioDtsMonotonic each audio DTS is greater than or equal to the one before
 * @param maxVideoDtsGapMs largest step between consecutive video DTS (0 with fewer than two packets)
 * @param maxAudioDtsGapMs largest step between consecutive audio DTS (0 with fewer than two packets)
 * @param firstVideoDtsMs DTS of the first video packet, 0 without video
 * @param lastVideoDtsMs DTS of the last video packet, 0 without video
 * @param maxVideoCompositionOffsetMs largest PTS minus DTS of a video packet: 0 without B-frames
 * @param videoCodec ffprobe's codec name ({@code h264}, {@code hevc}…) or null without video
 * @param audioCodec ffprobe's codec name ({@code aac}, {@code opus}…) or null without audio
 * @param decodeErrorLines what the decoder reported at level error; empty for a clean stream
 */
public record MediaReport(
        int videoPackets,
        int audioPackets,
        int videoKeyframes,
        boolean firstVideoPacketIsKeyframe,
        boolean videoDtsMonotonic,
        boolean audioDtsMonotonic,
        long maxVideoDtsGapMs,
        long maxAudioDtsGapMs,
        long firstVideoDtsMs,
        long lastVideoDtsMs,
        long maxVideoCompositionOffsetMs,
        String videoCodec,
        int width,
        int height,
        String audioCodec,
        int sampleRate,
        int channels,
        List<String> decodeErrorLines) {

    public MediaReport {
        decodeErrorLines = List.copyOf(decodeErrorLines);
    }
}
