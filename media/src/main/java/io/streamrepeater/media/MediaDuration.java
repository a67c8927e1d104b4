package io.streamrepeater.media;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The play-out length of a finite run of packets, such as a slate file: the offset by which a
 * second pass must be shifted so that it follows the first with no gap and no step back.
 *
 * <p>Each of audio and video lasts from its first DTS to its last plus one frame (the median of
 * its positive DTS steps, so that one long pause does not count); the run lasts as long as the
 * longer of the two. Taking the span per stream matters for ffmpeg's files: its FLV muxer shifts
 * AAC by the encoder delay, so audio runs from about 0.18 s to 2.2 s in a 2 s file whose video
 * runs from 0 to 1.9 s; one span over both streams plus a video frame would say 2.3 s and freeze
 * the picture for 0.3 s on every loop, while a span of the video alone would make the next pass's
 * audio start before this pass's audio ends. Script data and sequence headers do not count: files
 * put them at 0 whatever the media timestamps are.
 */
final class MediaDuration {
    private MediaDuration() {}

    /**
     * @param packets read only: not retained, not released
     * @return the length in ms; 0 when there is no audio or video
     */
    static long of(List<MediaPacket> packets) {
        return Math.max(of(packets, MediaKind.VIDEO), of(packets, MediaKind.AUDIO));
    }

    private static long of(List<MediaPacket> packets, MediaKind kind) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long previous = Long.MIN_VALUE;
        List<Long> steps = new ArrayList<>();
        for (MediaPacket packet : packets) {
            if (packet.kind() != kind || packet.sequenceHeader()) {
                continue;
            }
            long dts = packet.dts();
            first = Math.min(first, dts);
            last = Math.max(last, dts);
            if (previous != Long.MIN_VALUE && dts > previous) {
                steps.add(dts - previous);
            }
            previous = dts;
        }
        return first == Long.MAX_VALUE ? 0 : last - first + median(steps);
    }

    private static long median(List<Long> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
