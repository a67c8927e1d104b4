package io.streamrepeater.srt;

import com.sun.jna.Memory;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.media.ts.TsDemuxException;
import io.streamrepeater.media.ts.TsDemuxer;
import io.streamrepeater.srt.binding.LibSrt;
import io.streamrepeater.srt.binding.SrtErrors;
import io.streamrepeater.srt.binding.SrtSocketOption;
import io.streamrepeater.status.SrtLinkStatus;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted SRT connection on its own thread: receives the transport stream message by message, demuxes
 * it into {@link MediaPacket}s for the input's sink, and samples statistics once a second.
 *
 * <p>The receive waits at most {@link #RECEIVE_TIMEOUT_MS}, so a stop asked from another thread
 * ({@link #stop}) takes effect within that time. The socket, the demuxer and the receive buffer belong to
 * this thread and are closed or released by it, whatever ends the connection; the sink's {@code end} is
 * called exactly once, last.
 */
final class SrtIngestConnection implements Runnable {
    static final int RECEIVE_TIMEOUT_MS = 250;

    private static final Logger LOG = LoggerFactory.getLogger(SrtIngestServer.class);
    /** A live-mode SRT payload is at most 1456 bytes; any UDP payload fits. */
    private static final int MESSAGE_CAPACITY = 1500;

    private static final long STATISTICS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LibSrt api;
    private final SrtSocket socket;
    private final PendingHandshakes.Pending handshake;
    private final SrtIngestGate gate;
    private final SrtIngestSettings settings;
    private final ByteBufAllocator alloc;
    private final Consumer<SrtIngestConnection> onEnded;
    private volatile String stopReason;

    SrtIngestConnection(
            LibSrt api,
            SrtSocket socket,
            PendingHandshakes.Pending handshake,
            SrtIngestGate gate,
            SrtIngestSettings settings,
            ByteBufAllocator alloc,
            Consumer<SrtIngestConnection> onEnded) {
        this.api = api;
        this.socket = socket;
        this.handshake = handshake;
        this.gate = gate;
        this.settings = settings;
        this.alloc = alloc;
        this.onEnded = onEnded;
    }

    /** Asks the connection to close within {@link #RECEIVE_TIMEOUT_MS}; the first reason given wins. */
    void stop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    String label() {
        return handshake.access().label();
    }

    InetSocketAddress peer() {
        return handshake.peer();
    }

    @Override
    public void run() {
        long startNanos = System.nanoTime();
        SrtPublishSink sink = null;
        String reason = "internal error";
        try {
            socket.setInt(SrtSocketOption.RCVTIMEO, RECEIVE_TIMEOUT_MS, "the receive timeout");
            sink = gate.open(handshake.streamKey(), peer(), () -> stop("disconnected by the application"));
            if (sink == null) {
                LOG.warn("event=srt-rejected reason=input-refused input={} remote={}", label(), peer());
                return;
            }
            int latencyMs = socket.getInt(SrtSocketOption.RCVLATENCY, "the negotiated latency");
            LOG.info(
                    "event=srt-connected input={} remote={} latencyMs={} encrypted={}",
                    label(),
                    peer(),
                    latencyMs,
                    handshake.access().encrypted());
            reason = receive(sink);
        } catch (RuntimeException e) {
            LOG.warn("event=srt-connection-failed input={} remote={} error=\"{}\"", label(), peer(), e.toString());
            reason = "internal error: " + e.getMessage();
        } finally {
            socket.close();
            try {
                if (sink != null) {
                    LOG.info(
                            "event=srt-ended input={} remote={} reason=\"{}\" durationMs={}",
                            label(),
                            peer(),
                            reason,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
                    sink.end(reason);
                }
            } finally {
                onEnded.accept(this);
            }
        }
    }

    /** Receives until the peer goes or a stop is asked; the reason it ended. */
    private String receive(SrtPublishSink sink) {
        Memory message = new Memory(MESSAGE_CAPACITY);
        ByteBuf chunk = alloc.directBuffer(MESSAGE_CAPACITY, MESSAGE_CAPACITY);
        StatisticsSampler sampler = new StatisticsSampler(api, socket.id());
        long nextStatistics = System.nanoTime() + STATISTICS_INTERVAL_NANOS;
        long lastDataNanos = System.nanoTime();
        try (TsDemuxer demuxer = new TsDemuxer(alloc, settings.maxPesBytes(), sink::packet)) {
            while (true) {
                String stop = stopReason;
                if (stop != null) {
                    return stop;
                }
                int length = socket.receive(message, MESSAGE_CAPACITY);
                long now = System.nanoTime();
                if (length > 0) {
                    lastDataNanos = now;
                    chunk.clear().writeBytes(message.getByteBuffer(0, length));
                    try {
                        demuxer.feed(chunk, now);
                    } catch (TsDemuxException broken) {
                        LOG.warn(
                                "event=srt-demux-failed input={} remote={} error=\"{}\"",
                                label(),
                                peer(),
                                broken.getMessage());
                        return "transport stream error: " + broken.getMessage();
                    }
                } else if (length < 0) {
                    int error = socket.lastError();
                    if (error != SrtErrors.EASYNCRCV && error != SrtErrors.ETIMEOUT) {
                        String closed = closedReason(error, now - lastDataNanos);
                        finish(demuxer);
                        return closed;
                    }
                }
                if (now - nextStatistics >= 0) {
                    nextStatistics = now + STATISTICS_INTERVAL_NANOS;
                    SrtLinkStatus statistics = sampler.sample();
                    if (statistics != null) {
                        sink.statistics(statistics);
                    }
                }
            }
        } finally {
            chunk.release();
        }
    }

    /** Emits the access units still being assembled: the stream ended, so they are complete. */
    private void finish(TsDemuxer demuxer) {
        try {
            demuxer.finish();
        } catch (TsDemuxException broken) {
            LOG.debug("event=srt-demux-tail-dropped input={} error=\"{}\"", label(), broken.getMessage());
        }
    }

    private String closedReason(int error, long silentNanos) {
        if (error == SrtErrors.ECONNLOST || error == SrtErrors.ENOCONN || error == SrtErrors.EINVSOCK) {
            // libsrt reports a closing peer and a silent one alike; a silence of half the idle timeout tells them apart
            long halfIdle = TimeUnit.MILLISECONDS.toNanos(settings.peerIdleTimeoutMs()) / 2;
            return silentNanos >= halfIdle ? "peer timed out" : "peer closed";
        }
        return "receive failed: " + socket.lastErrorText() + " (SRT error " + error + ")";
    }
}
