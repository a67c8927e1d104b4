package io.streamrepeater.media;

/**
 * What the header of one FLV audio tag body says, legacy or Enhanced RTMP.
 *
 * @param codec the codec, {@link AudioCodec#OTHER} when unknown or when the header is truncated
 * @param enhanced true for the Enhanced RTMP form (sound format 9 followed by a FourCC)
 * @param sequenceHeader true for the decoder configuration (AAC packet type 0, Enhanced SequenceStart)
 */
public record AudioTagInfo(AudioCodec codec, boolean enhanced, boolean sequenceHeader) {

    static final AudioTagInfo UNREADABLE = new AudioTagInfo(AudioCodec.OTHER, false, false);
}
