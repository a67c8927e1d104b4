package io.streamrepeater.media;

/**
 * Video codecs the relay recognises, from the legacy FLV codec id (7 AVC, 12 HEVC as some legacy
 * encoders send it) or the Enhanced RTMP FourCC ({@code avc1}, {@code hvc1}, {@code av01}, {@code vp09}).
 */
public enum VideoCodec {
    AVC,
    HEVC,
    AV1,
    VP9,
    /** Any other codec, or a tag too short to tell. */
    OTHER
}
