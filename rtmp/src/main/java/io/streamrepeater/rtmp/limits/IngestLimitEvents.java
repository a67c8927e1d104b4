package io.streamrepeater.rtmp.limits;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the ingest guards report a hit: every hit is counted, and logged as one line
 * {@code event=ingest-limit limit=LABEL remote=ADDRESS DETAILS}. A flood (a thousand refused connections a second) must
 * not flood the log, so each limit logs at most {@code linesPerSecond} lines per second; the next line after a quiet
 * spell says how many were left out ({@code suppressed=N}). The counts are always exact. Safe from any thread.
 */
public final class IngestLimitEvents {
    private static final Logger LOG = LoggerFactory.getLogger(IngestLimitEvents.class);
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LongSupplier nanoTime;
    private final int linesPerSecond;
    private final Map<IngestLimit, LongAdder> counts = new EnumMap<>(IngestLimit.class);
    private final Map<IngestLimit, LogWindow> windows = new EnumMap<>(IngestLimit.class);

    /**
     * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime}; tests pass their own)
     * @param linesPerSecond how many lines one limit may log per second, at least 1
     */
    public IngestLimitEvents(LongSupplier nanoTime, int linesPerSecond) {
        if (linesPerSecond < 1) {
            throw new IllegalArgumentException("linesPerSecond must be at least 1, got " + linesPerSecond);
        }
        this.nanoTime = nanoTime;
        this.linesPerSecond = linesPerSecond;
        for (IngestLimit limit : IngestLimit.values()) {
            counts.put(limit, new LongAdder());
            windows.put(limit, new LogWindow());
        }
    }

    /** @return events on the system clock, 10 lines per second and limit */
    public static IngestLimitEvents onSystemClock() {
        return new IngestLimitEvents(System::nanoTime, 10);
    }

    /**
     * Counts one hit and logs it unless this limit has used up its lines for the current second.
     *
     * @param remote the peer's address (logged as {@code host:port})
     * @param details further {@code key=value} fields, e.g. {@code after=10000ms}; never a stream key
     */
    public void hit(IngestLimit limit, SocketAddress remote, String details) {
        counts.get(limit).increment();
        long suppressed = windows.get(limit).admit(nanoTime.getAsLong(), linesPerSecond);
        if (suppressed < 0) {
            return;
        }
        LOG.warn(
                "event=ingest-limit limit={} remote={} {}{}",
                limit.label(),
                describe(remote),
                details,
                suppressed > 0 ? " suppressed=" + suppressed : "");
    }

    /** @return how often this limit was hit since start */
    public long count(IngestLimit limit) {
        return counts.get(limit).sum();
    }

    /** @return every limit's label with its count, zeros included, in declaration order */
    public Map<String, Long> countsByLabel() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (IngestLimit limit : IngestLimit.values()) {
            m.put(limit.label(), count(limit));
        }
        return Collections.unmodifiableMap(m);
    }

    /** {@code 127.0.0.1:5555} rather than {@code /127.0.0.1:5555}. */
    static String describe(SocketAddress remote) {
        if (remote instanceof InetSocketAddress isa && isa.getAddress() != null) {
            String host = isa.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + isa.getPort();
        }
        return String.valueOf(remote);
    }

    /** One limit's log budget in the current one-second window. */
    private static final class LogWindow {
        private long start;
        private boolean started;
        private int lines;
        private long suppressed;

        /** @return -1 to leave the line out, else how many lines were left out before this one */
        synchronized long admit(long now, int linesPerSecond) {
            if (!started || now - start >= WINDOW_NANOS) {
                started = true;
                start = now;
                lines = 0;
            }
            if (lines >= linesPerSecond) {
                suppressed++;
                return -1;
            }
            lines++;
            long left = suppressed;
            suppressed = 0;
            return left;
        }
    }
}
