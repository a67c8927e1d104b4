package io.streamrepeater.channel;

import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelEventType;
import io.streamrepeater.status.StartMode;
import io.streamrepeater.status.Timeline;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes the {@link Switcher}'s decisions: which input feeds the output ({@code active}), which one the channel is
 * switching to ({@code pending}, waiting for its keyframe), and the switch itself: a new segment of the output
 * timeline at the new input's keyframe, on the output's frame grid, after the codec headers that differ from what
 * was sent (DESIGN.md §3). Used on the channel's event loop; {@link #activeName()} from any thread.
 */
final class Switchover {
    private static final Logger LOG = LoggerFactory.getLogger(LiveChannel.class);
    private final String channel;
    private final OutputFeed output;
    private final OutputTimeline timeline;
    private final EventRecorder events;
    /** The input whose packets reach the output now (null while holding). */
    private Input active;
    /** The input the channel is switching to, waiting for its keyframe. */
    private Input pending;

    private SwitchInProgress switching;
    private volatile String activeName;

    private record SwitchInProgress(String from, String to, String reason, long decidedAtMs, long detectionDelayMs) {}

    Switchover(String channel, OutputFeed output, EventRecorder events) {
        this.channel = channel;
        this.output = output;
        this.timeline = output.timeline();
        this.events = events;
    }

    Input active() {
        return active;
    }

    Input pending() {
        return pending;
    }

    /** The input the channel is on or heading to, or null while holding. */
    Input heading() {
        return pending != null ? pending : active;
    }

    /** The active input's name, or null; safe from any thread. */
    String activeName() {
        return activeName;
    }

    /** The input no longer exists (reconfigured away, the slate removed): stop using it. */
    void forget(Input input) {
        if (input == pending) {
            pending = null;
        }
        if (input == active) {
            endActive();
        }
    }

    private void endActive() {
        active = null;
        activeName = null;
        timeline.endSegment();
    }

    /**
     * Starts a switch to {@code target} (null: hold the destinations open with nothing to send).
     *
     * @param fromUsable whether the active input can still feed the output (it then does until the target's keyframe)
     * @param detectionMs how long the failure took to detect, or -1 when nothing failed
     */
    void begin(
            Input target,
            String reason,
            StartMode start,
            Timeline mode,
            boolean fromUsable,
            long detectionMs,
            long now,
            Rehearsal rehearsal) {
        Input from = active;
        String fromName = from == null ? null : from.name();
        String toName = target == null ? null : target.name();
        LOG.info(
                "event=switch-decided channel={} from={} to={} reason=\"{}\" detectionDelayMs={}",
                channel,
                fromName == null ? "-" : fromName,
                toName == null ? "-" : toName,
                reason,
                detectionMs);
        switching = new SwitchInProgress(fromName, toName, reason, now, detectionMs);
        if (!fromUsable) {
            endActive();
        }
        if (target == null) {
            pending = null;
            events.record(
                    ChannelEventType.SWITCH,
                    null,
                    fromName,
                    null,
                    reason + "; holding the destinations open",
                    detectionMs,
                    -1,
                    -1,
                    -1);
            switching = null;
            return;
        }
        pending = target;
        if (start == StartMode.CACHED && startFromCache(target, mode, now, rehearsal)) {
            return;
        }
        // next-keyframe (or an empty cache): the switch completes at the target's next keyframe
    }

    /** Starts {@code target} at once from its GOP cache; false when the cache holds no keyframe. */
    private boolean startFromCache(Input target, Timeline mode, long now, Rehearsal rehearsal) {
        List<MediaPacket> gop = target.gop().snapshot();
        try {
            if (gop.isEmpty() || !gop.get(0).isVideoKeyframe()) {
                return false;
            }
            long newest = gop.get(gop.size() - 1).dts();
            MediaPacket first = gop.get(0);
            complete(target, first, mode, now, Math.max(0, newest - first.dts()), rehearsal);
            for (MediaPacket p : gop) {
                output.media(p, now);
            }
            return true;
        } finally {
            gop.forEach(MediaPacket::release);
        }
    }

    /**
     * A media packet of {@code input} (borrowed): completes a pending switch at its sync point, and goes out when the
     * input is active.
     */
    void media(Input input, MediaPacket packet, FailoverPolicy policy, long now, Rehearsal rehearsal) {
        if (input == pending && input.syncPoint(packet, now, policy)) {
            complete(input, packet, policy.timeline(), now, 0, rehearsal);
        }
        if (input == active && timeline.segmentOpen()) {
            output.media(packet, now);
        }
    }

    /** A header or metadata packet of {@code input} (borrowed): goes out at once when the input is active. */
    void header(Input input, MediaPacket packet) {
        if (input == active && timeline.segmentOpen()) {
            output.header(packet);
        }
    }

    /** Makes {@code target} active: a new segment starting at its keyframe {@code first}, headers first. */
    private void complete(
            Input target, MediaPacket first, Timeline mode, long now, long contentAgeMs, Rehearsal rehearsal) {
        long lastBefore = timeline.started() ? timeline.lastDts() : -1;
        active = target;
        activeName = target.name();
        pending = null;
        InputFormat format = target.format();
        double frameMs = target.cadence().frameMs(format == null ? 0 : format.frameRate());
        double gridMs = timeline.gridFrameMs();
        if (frameMs > 0 && gridMs > 0 && Math.abs(frameMs - gridMs) <= gridMs * 0.002) {
            frameMs = gridMs; // the same rate as far as its frames can tell: keep to what was sent
        }
        long firstOut = timeline.beginSegment(
                first.dts(),
                first.pts(),
                first.isVideoKeyframe(),
                frameMs,
                target.cadence().phaseMs(frameMs),
                mode,
                now,
                contentAgeMs);
        for (MediaPacket h : target.headers().retainedAll()) {
            try {
                output.header(h);
            } finally {
                h.release();
            }
        }
        SwitchInProgress s = switching;
        switching = null;
        long gap = lastBefore < 0 ? -1 : firstOut - lastBefore;
        long switchMs = s == null ? 0 : now - s.decidedAtMs();
        String from = s == null ? null : s.from();
        String reason = s == null ? "input " + target.name() + " available" : s.reason();
        long detection = s == null ? -1 : s.detectionDelayMs();
        LOG.info(
                "event=switch channel={} from={} to={} reason=\"{}\" detectionDelayMs={} switchMs={} gapMs={} repeatedMs={}",
                channel,
                from == null ? "-" : from,
                target.name(),
                reason,
                detection,
                switchMs,
                gap,
                contentAgeMs);
        ChannelEvent e = events.record(
                ChannelEventType.SWITCH, null, from, target.name(), reason, detection, switchMs, gap, contentAgeMs);
        if (rehearsal != null) {
            rehearsal.switched(e);
        }
    }
}
