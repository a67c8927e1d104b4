package io.streamrepeater.channel;

import io.streamrepeater.status.ChannelEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** A bounded in-memory history of a channel's events, plus listeners told of each new one. */
public final class ChannelEvents {
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private final int capacity;
    private final ArrayDeque<ChannelEvent> ring;
    private final List<Consumer<ChannelEvent>> listeners = new CopyOnWriteArrayList<>();

    public ChannelEvents(int capacity) {
        this.capacity = capacity;
        this.ring = new ArrayDeque<>(capacity);
    }

    static long nextSequence() {
        return SEQUENCE.incrementAndGet();
    }

    void add(ChannelEvent e) {
        synchronized (ring) {
            if (ring.size() == capacity) {
                ring.removeFirst();
            }
            ring.addLast(e);
        }
        for (Consumer<ChannelEvent> l : listeners) {
            l.accept(e);
        }
    }

    /** Events with a sequence number above {@code afterSequence}, oldest first. */
    public List<ChannelEvent> since(long afterSequence) {
        synchronized (ring) {
            List<ChannelEvent> out = new ArrayList<>();
            for (ChannelEvent e : ring) {
                if (e.sequence() > afterSequence) {
                    out.add(e);
                }
            }
            return out;
        }
    }

    public void removeListener(Consumer<ChannelEvent> listener) {
        listeners.remove(listener);
    }

    /** Registers a listener; it runs on the channel's event loop and must not block. */
    public void addListener(Consumer<ChannelEvent> listener) {
        listeners.add(listener);
    }
}
