package io.streamrepeater.media.ts;

/** The mutable counters behind {@link TsDemuxStats}, shared by the parts of one demuxer. */
final class TsCounters {
    long tsPackets;
    long transportErrors;
    long continuityErrors;
    long pesDropped;
    long malformedPes;
    long videoFramesDropped;
    long audioFramesDropped;
    long packetsEmitted;

    TsDemuxStats snapshot(long bytesSkipped) {
        return new TsDemuxStats(
                tsPackets,
                bytesSkipped,
                transportErrors,
                continuityErrors,
                pesDropped,
                malformedPes,
                videoFramesDropped,
                audioFramesDropped,
                packetsEmitted);
    }
}
