package io.streamrepeater.relay;

import io.streamrepeater.status.DestinationEvent;

import java.util.ArrayDeque;
import java.util.List;

/** The most recent destination events of one relay, oldest dropped first; safe from any thread. */
final class DestinationEventLog {
    private final int capacity;
    private final ArrayDeque<DestinationEvent> events = new ArrayDeque<>();

    DestinationEventLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("event log capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    synchronized void add(DestinationEvent event) {
        if (events.size() == capacity) {
            events.pollFirst();
        }
        events.addLast(event);
    }

    /** @return a copy, oldest first */
    synchronized List<DestinationEvent> snapshot() {
        return List.copyOf(events);
    }
}
