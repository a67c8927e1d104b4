package io.streamrepeater.media;

/**
 * Audio codecs the relay recognises, from the legacy FLV sound format (10 AAC, 2 MP3) or the
 * Enhanced RTMP FourCC ({@code mp4a}, {@code Opus}, {@code .mp3}).
 */
public enum AudioCodec {
    AAC,
    OPUS,
    MP3,
    /** Any other codec (FLAC, AC-3, E-AC-3, Speex, PCM...), or a tag too short to tell. */
    OTHER
}
