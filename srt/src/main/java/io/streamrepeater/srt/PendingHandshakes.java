package io.streamrepeater.srt;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Handshakes the listen callback let through and that have not yet come out of {@code srt_accept} (or been
 * refused by libsrt): the input and key of each, by the socket id libsrt gave it. An entry that never
 * comes out (a caller gone mid-handshake) is forgotten after {@link #FORGET_AFTER_NANOS}.
 */
final class PendingHandshakes {
    /** A caller's handshake takes at most a few seconds (SRTO_CONNTIMEO is 3 s by default). */
    static final long FORGET_AFTER_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** One handshake in progress; {@code streamKey} is secret. */
    record Pending(String streamKey, SrtInputAccess access, InetSocketAddress peer, long sinceNanos) {
        @Override
        public String toString() {
            return "Pending[input=" + access.label() + ", peer=" + peer + "]";
        }
    }

    private final Map<Integer, Pending> bySocket = new ConcurrentHashMap<>();

    void add(int socket, Pending pending) {
        bySocket.values().removeIf(old -> pending.sinceNanos() - old.sinceNanos() > FORGET_AFTER_NANOS);
        bySocket.put(socket, pending);
    }

    /** The handshake of {@code socket}, removed; {@code null} when there is none. */
    Pending remove(int socket) {
        return bySocket.remove(socket);
    }

    int size() {
        return bySocket.size();
    }

    void clear() {
        bySocket.clear();
    }
}
