package io.streamrepeater.media.ts;

/**
 * What a {@link TsDemuxer} has seen so far, for metrics and for telling a lossy link from a broken
 * encoder.
 *
 * @param tsPackets transport stream packets read (188 bytes each)
 * @param bytesSkipped bytes thrown away while resynchronising on the 0x47 sync byte
 * @param transportErrors packets dropped because their transport_error_indicator was set
 * @param continuityErrors gaps in a PID's continuity counter (packets lost on the way)
 * @param pesDropped partly assembled PES packets thrown away because of a gap or a damaged packet
 * @param malformedPes PES packets whose header could not be read, or that ended before their
 *     declared length
 * @param videoFramesDropped video access units not emitted: before the first decoder configuration,
 *     without a PTS, or between a loss and the next keyframe
 * @param audioFramesDropped ADTS frames not emitted: unreadable header, or cut off at the end of a PES
 * @param packetsEmitted media packets handed to the consumer, sequence headers included
 */
public record TsDemuxStats(
        long tsPackets,
        long bytesSkipped,
        long transportErrors,
        long continuityErrors,
        long pesDropped,
        long malformedPes,
        long videoFramesDropped,
        long audioFramesDropped,
        long packetsEmitted) {}
