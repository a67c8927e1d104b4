package io.streamrepeater.media.ts;

/** What the demuxer does with one NAL unit of an access unit. */
enum NalRole {
    /** HEVC video parameter set: goes into the decoder configuration record, not the frame. */
    VPS,
    /** Sequence parameter set: goes into the decoder configuration record, not the frame. */
    SPS,
    /** Picture parameter set: goes into the decoder configuration record, not the frame. */
    PPS,
    /** A slice of a picture a decoder can start at (H.264 IDR, HEVC IRAP): the frame is a keyframe. */
    KEYFRAME_SLICE,
    /** Kept in the frame: other slices, SEI, and anything not listed. */
    FRAME,
    /** Left out: access unit delimiters and filler data, which RTMP streams do not carry. */
    DROPPED
}
