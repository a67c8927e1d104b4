package io.streamrepeater.channel;

import io.netty.util.concurrent.Promise;
import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.Compatibility;
import io.streamrepeater.status.RehearsalReport;
import io.streamrepeater.status.Timeline;
import java.util.List;
import java.util.Map;

/** A failover drill under way: the input marked failed, when, for how long, and the switch it caused. */
final class Rehearsal {
    final Input failed;
    final long startedAtMs;
    final long durationMs;
    final Promise<RehearsalReport> result;
    private final long startedAtEpochMs;
    private ChannelEvent switchEvent;

    Rehearsal(Input failed, long startedAtMs, long startedAtEpochMs, long durationMs, Promise<RehearsalReport> result) {
        this.failed = failed;
        this.startedAtMs = startedAtMs;
        this.startedAtEpochMs = startedAtEpochMs;
        this.durationMs = durationMs;
        this.result = result;
    }

    /** Notes a switch; the first one away from the failed input is the drill's switch. */
    void switched(ChannelEvent e) {
        if (switchEvent == null && failed.name().equals(e.from())) {
            switchEvent = e;
        }
    }

    /** The input that took over, or null when none could. */
    String switchedTo() {
        return switchEvent == null ? null : switchEvent.to();
    }

    /** The drill's report as the channel saw it (what destinations received is added by the relay's side). */
    RehearsalReport report(String channel, Compatibility compatibility, Timeline timeline) {
        ChannelEvent sw = switchEvent;
        return new RehearsalReport(
                channel,
                failed.name(),
                durationMs,
                startedAtEpochMs,
                sw == null ? null : sw.to(),
                sw == null ? -1 : sw.detectionDelayMs(),
                sw == null ? -1 : sw.switchMs(),
                sw == null ? -1 : sw.gapMs(),
                sw == null ? -1 : sw.repeatedMs(),
                Map.of(),
                compatibility,
                timeline == Timeline.REALTIME ? "realtime" : "continuous",
                List.of());
    }
}
