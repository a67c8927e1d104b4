package io.streamrepeater.relay;

import io.streamrepeater.status.DestinationEvent;
import java.util.ArrayDeque;
import java.util.List;

/** The most recent destination events of one relay, oldest dropped first; safe from any thread. */
final class DestinationEventLog {
    private final int capacity;
    private final ArrayDeque<DestinationEvent> events = new ArrayDeque<>();
    private final java.util.function.Consumer<DestinationEvent> listener;

    DestinationEventLog(int capacity) {
        this(capacity, e -> {});
    }

    /** @param listener told of each event after it is logged (it must not block) */
    DestinationEventLog(int capacity, java.util.function.Consumer<DestinationEvent> listener) {
        if (capacity < 1) {
            throw new IllegalArgumentException("event log capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.listener = listener;
    }

    void add(DestinationEvent event) {
        synchronized (this) {
            if (events.size() == capacity) {
                events.pollFirst();
            }
            events.addLast(event);
        }
        listener.accept(event);
    }

    /** @return a copy, oldest first */
    synchronized List<DestinationEvent> snapshot() {
        return List.copyOf(events);
    }
}
