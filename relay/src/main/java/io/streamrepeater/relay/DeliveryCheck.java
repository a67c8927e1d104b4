package io.streamrepeater.relay;

import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.status.DrillDelivery;

/**
 * What one destination was actually sent, and whether a decoder can play it in order: the relay's own check of the
 * switch rules (DESIGN.md §3, docs/failover.md). Counted from the moment {@link #open()} is called, so a failover
 * drill reports exactly what went out while it ran.
 *
 * <p>The rules checked on the video sent to one destination session: its first video frame is a keyframe (every
 * other frame refers to frames before it); decoding times never go backwards; and a keyframe is presented after every
 * frame sent before it (a switch lands on a keyframe, and the decoder shows everything before it first). A
 * reconnect starts a new session (the start-up packets begin again at a keyframe). Used on the channel's event loop.
 */
final class DeliveryCheck {
    private long bytes;
    private long videoFrames;
    private long audioFrames;
    private long firstVideoDts = -1;
    private long lastVideoDts = -1;
    private long maxVideoDtsStep;
    private long maxVideoPts = Long.MIN_VALUE;
    private boolean videoStarted;
    private long violations;
    private String firstViolation;

    /** Starts counting afresh (a drill begins). The session state (what the decoder has) is kept. */
    void open() {
        bytes = 0;
        videoFrames = 0;
        audioFrames = 0;
        firstVideoDts = -1;
        maxVideoDtsStep = 0;
        violations = 0;
        firstViolation = null;
    }

    /** A new connection: the destination's decoder starts from nothing. */
    void newSession() {
        videoStarted = false;
        lastVideoDts = -1;
        maxVideoPts = Long.MIN_VALUE;
    }

    /** Records a packet written to the destination. */
    void sent(MediaPacket p, int encodedBytes) {
        bytes += encodedBytes;
        if (p.sequenceHeader() || p.metadata()) {
            return;
        }
        if (p.kind() == MediaKind.AUDIO) {
            audioFrames++;
            return;
        }
        if (p.kind() != MediaKind.VIDEO) {
            return;
        }
        videoFrames++;
        long dts = p.dts();
        if (!videoStarted) {
            if (!p.isVideoKeyframe()) {
                violation("video frame at " + dts + " ms before any keyframe");
            }
            videoStarted = true;
        } else if (dts < lastVideoDts) {
            violation("video DTS " + dts + " ms after " + lastVideoDts + " ms");
        } else {
            maxVideoDtsStep = Math.max(maxVideoDtsStep, dts - lastVideoDts);
        }
        if (p.isVideoKeyframe() && maxVideoPts != Long.MIN_VALUE && p.pts() <= maxVideoPts) {
            violation("keyframe presented at " + p.pts() + " ms, not after " + maxVideoPts + " ms already presented");
        }
        if (firstVideoDts < 0) {
            firstVideoDts = dts;
        }
        lastVideoDts = dts;
        maxVideoPts = Math.max(maxVideoPts, p.pts());
    }

    private void violation(String what) {
        violations++;
        if (firstViolation == null) {
            firstViolation = what;
        }
    }

    /** What was sent since {@link #open()}. */
    DrillDelivery report(String destination, long reconnects) {
        return new DrillDelivery(
                destination,
                bytes,
                videoFrames,
                audioFrames,
                firstVideoDts,
                firstVideoDts < 0 ? -1 : lastVideoDts,
                maxVideoDtsStep,
                reconnects,
                violations == 0,
                firstViolation);
    }
}
