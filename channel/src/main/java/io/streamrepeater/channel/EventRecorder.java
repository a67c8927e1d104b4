package io.streamrepeater.channel;

import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelEventType;
import java.time.Clock;

/** Writes a channel's events (inputs, switches, rehearsals, destinations) into its {@link ChannelEvents}. */
final class EventRecorder {
    private final String channel;
    private final Clock clock;
    private final ChannelEvents events;

    EventRecorder(String channel, Clock clock, ChannelEvents events) {
        this.channel = channel;
        this.clock = clock;
        this.events = events;
    }

    /** An input or rehearsal event (no switch figures). */
    void record(ChannelEventType type, String input, String to, String reason) {
        record(type, input, null, to, reason, -1, -1, -1, -1);
    }

    /** A change of the node that relays the channel (cluster mode). */
    void lease(boolean acquired, String node, String reason) {
        events.add(new ChannelEvent(
                ChannelEvents.nextSequence(),
                clock.instant().toEpochMilli(),
                channel,
                acquired ? ChannelEventType.LEASE_ACQUIRED : ChannelEventType.LEASE_LOST,
                null,
                acquired ? null : node,
                acquired ? node : null,
                reason,
                -1,
                -1,
                -1,
                -1));
    }

    /** A node came up, went down, began or finished draining (cluster mode): {@code to} is the node. */
    void node(ChannelEventType type, String node, String reason) {
        record(type, null, null, node, reason, -1, -1, -1, -1);
    }

    /** A destination's platform verdict on an input changed. */
    void verdict(String destination, String input, String from, String to, String reason) {
        destinationEvent(ChannelEventType.PREFLIGHT_VERDICT, destination, input, from, to, reason);
    }

    /** A destination's state change, so operators see inputs, switches and destinations in one timeline. */
    void destination(String destination, String fromState, String toState, String reason) {
        destinationEvent(ChannelEventType.DESTINATION_STATE, destination, null, fromState, toState, reason);
    }

    private void destinationEvent(
            ChannelEventType type, String destination, String input, String from, String to, String reason) {
        events.add(new ChannelEvent(
                ChannelEvents.nextSequence(),
                clock.instant().toEpochMilli(),
                channel,
                type,
                input,
                from,
                to,
                reason,
                -1,
                -1,
                -1,
                -1,
                destination));
    }

    ChannelEvent record(
            ChannelEventType type,
            String input,
            String from,
            String to,
            String reason,
            long detection,
            long switchMs,
            long gap,
            long repeated) {
        ChannelEvent e = new ChannelEvent(
                ChannelEvents.nextSequence(),
                clock.instant().toEpochMilli(),
                channel,
                type,
                input,
                from,
                to,
                reason,
                detection,
                switchMs,
                gap,
                repeated);
        events.add(e);
        return e;
    }
}
