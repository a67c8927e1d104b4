package io.streamrepeater.status;

/**
 * One state change of a channel. Fields that do not apply to a type are null (strings) or -1 (numbers).
 *
 * @param sequence increasing per server, for resuming a stream of events
 * @param detectionDelayMs for a switch: from the failed input's last media packet to the decision
 * @param switchMs for a switch: from the decision to the first packet of the new input on the output
 * @param gapMs for a switch: output timestamp of the new input's first packet minus the last one before it
 * @param repeatedMs for a switch that started from the GOP cache: how old that content already was
 * @param destination for a destination state change: the destination ({@code from}/{@code to} are its states)
 */
public record ChannelEvent(
        long sequence,
        long atEpochMs,
        String channel,
        ChannelEventType type,
        String input,
        String from,
        String to,
        String reason,
        long detectionDelayMs,
        long switchMs,
        long gapMs,
        long repeatedMs,
        String destination) {
    /** An input or switch event (no destination). */
    public ChannelEvent(
            long sequence,
            long atEpochMs,
            String channel,
            ChannelEventType type,
            String input,
            String from,
            String to,
            String reason,
            long detectionDelayMs,
            long switchMs,
            long gapMs,
            long repeatedMs) {
        this(
                sequence,
                atEpochMs,
                channel,
                type,
                input,
                from,
                to,
                reason,
                detectionDelayMs,
                switchMs,
                gapMs,
                repeatedMs,
                null);
    }
}
