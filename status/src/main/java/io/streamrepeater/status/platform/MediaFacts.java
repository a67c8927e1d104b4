package io.streamrepeater.status.platform;

/**
 * What an input's encoder sends, as the platforms' rules look at it. Unknown values are null or 0 and no rule checks
 * them.
 *
 * @param videoCodec {@code AVC}, {@code HEVC}, {@code AV1}, {@code VP9}, ... (the relay's codec names)
 * @param frameRate frames per second (the encoder's stated rate, else the measured one)
 * @param keyframeIntervalMs the time between the last two keyframes
 * @param bitrateBps what the input receives, audio and video, over the last seconds
 * @param audioCodec {@code AAC}, {@code MP3}, ...
 */
public record MediaFacts(
        String videoCodec,
        int width,
        int height,
        double frameRate,
        long keyframeIntervalMs,
        long bitrateBps,
        String audioCodec,
        int sampleRate,
        int channels) {}
