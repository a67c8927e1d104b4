package io.streamrepeater.status;

/**
 * What one destination was sent during a failover drill, as the relay wrote it.
 *
 * @param bytes RTMP bytes written (chunk headers included)
 * @param videoFrames video frames written (sequence headers not counted)
 * @param audioFrames audio frames written (sequence headers not counted)
 * @param firstVideoDtsMs output DTS of the first video frame written during the drill, -1 when none
 * @param lastVideoDtsMs output DTS of the last one, -1 when none
 * @param maxVideoDtsStepMs the largest step between consecutive video DTS written
 * @param reconnects reconnects of the destination during the drill
 * @param decodable whether what was written passes the relay's own check: the first frame of a session is a
 *     keyframe, DTS never goes back, and every keyframe is presented after all frames before it
 * @param problem the first rule broken, null when decodable
 */
public record DrillDelivery(
        String destination,
        long bytes,
        long videoFrames,
        long audioFrames,
        long firstVideoDtsMs,
        long lastVideoDtsMs,
        long maxVideoDtsStepMs,
        long reconnects,
        boolean decodable,
        String problem) {}
