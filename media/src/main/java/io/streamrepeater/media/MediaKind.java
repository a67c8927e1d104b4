package io.streamrepeater.media;

/** What an RTMP media message carries: audio (type 8), video (type 9) or script data (types 15 and 18). */
public enum MediaKind {
    AUDIO,
    VIDEO,
    DATA
}
