package io.streamrepeater.media.ts;

/**
 * One elementary stream listed in a program map table.
 *
 * @param pid the PID its PES packets travel on
 * @param streamType the PMT stream_type, e.g. {@link #H264}, {@link #HEVC}, {@link #AAC_ADTS}
 */
record ElementaryStream(int pid, int streamType) {
    static final int AAC_ADTS = 0x0F;
    static final int H264 = 0x1B;
    static final int HEVC = 0x24;

    boolean isSupportedVideo() {
        return streamType == H264 || streamType == HEVC;
    }

    boolean isSupportedAudio() {
        return streamType == AAC_ADTS;
    }
}
