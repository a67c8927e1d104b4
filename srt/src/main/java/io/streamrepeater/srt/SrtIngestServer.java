package io.streamrepeater.srt;

import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.streamrepeater.srt.binding.LibSrt;
import io.streamrepeater.srt.binding.NativeSocketAddress;
import io.streamrepeater.srt.binding.SrtErrors;
import io.streamrepeater.srt.binding.SrtSocketOption;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SRT listener: encoders connect in caller mode with a stream id naming an input (see {@link StreamId}),
 * optionally encrypted with that input's passphrase, and send MPEG-TS, which comes out as
 * {@link io.streamrepeater.media.MediaPacket}s through the {@link SrtIngestGate}.
 *
 * <p>Threads (connections are few, so plain blocking threads): {@code srt-accept} blocks in
 * {@code srt_accept} (closing the listener wakes it); each connection runs on its own {@code srt-ingest-N}
 * (see {@link SrtIngestConnection}); handshakes are judged on libsrt's receiving thread
 * ({@link HandshakeAdmission}). All are daemon threads.
 *
 * <p>Log lines (never the stream key or a passphrase): {@code event=srt-listening}, {@code event=srt-rejected
 * reason=unknown-stream-key|bad-stream-id|not-a-publish|too-many-connections|bad-passphrase|missing-passphrase|
 * unexpected-passphrase|input-refused …}, {@code event=srt-connected}, {@code event=srt-ended},
 * {@code event=srt-stopped}.
 */
public final class SrtIngestServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SrtIngestServer.class);
    private static final long CLOSE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long ACCEPT_FAILURE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int MAX_BACKLOG = 64;
    private static final AtomicInteger CONNECTION_SEQUENCE = new AtomicInteger();

    private final LibSrt api;
    private final SrtSocket listener;
    private final SrtIngestSettings settings;
    private final SrtIngestGate gate;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final PendingHandshakes pending = new PendingHandshakes();
    private final Map<SrtIngestConnection, Thread> connections = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Consumer<RejectedHandshake> rejectionListener = this::libsrtRejected;
    /** libsrt calls it until the listener is closed: this reference keeps it from the garbage collector. */
    private final HandshakeAdmission admission;

    private final Thread acceptor = new Thread(this::acceptLoop, "srt-accept");
    private volatile InetSocketAddress localAddress;

    private SrtIngestServer(LibSrt api, SrtSocket listener, SrtIngestSettings settings, SrtIngestGate gate) {
        this.api = api;
        this.listener = listener;
        this.settings = settings;
        this.gate = gate;
        this.admission = new HandshakeAdmission(
                api, gate, pending, () -> connections.size() + pending.size(), settings.maxConnections(), closed::get);
        Native.setCallbackThreadInitializer(admission, new CallbackThreadInitializer(true, true, "srt-handshake"));
        acceptor.setDaemon(true);
    }

    /**
     * Binds and starts listening.
     *
     * @param library an available libsrt ({@link SrtLibrary#available()})
     * @param bind the UDP address to listen on; port 0 picks a free port ({@link #localAddress()})
     * @throws IllegalStateException when the library is unavailable
     * @throws SrtException when libsrt refuses (e.g. the port is taken), with its reason
     */
    public static SrtIngestServer start(
            SrtLibrary library, InetSocketAddress bind, SrtIngestSettings settings, SrtIngestGate gate) {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(gate, "gate");
        LibSrt api = library.api();
        if (api.srt_startup() < 0) {
            throw new SrtException("cannot start libsrt: " + api.srt_getlasterror_str(), api.srt_getlasterror(null));
        }
        int id = api.srt_create_socket();
        if (id < 0) {
            int code = api.srt_getlasterror(null);
            String text = api.srt_getlasterror_str();
            api.srt_cleanup();
            throw new SrtException("cannot create an SRT socket: " + text, code);
        }
        SrtIngestServer server = new SrtIngestServer(api, new SrtSocket(api, id), settings, gate);
        try {
            server.listen(bind);
        } catch (SrtException e) {
            server.listener.close();
            api.srt_cleanup();
            throw new SrtException("cannot listen for SRT on " + bind + ": " + e.getMessage(), e.errorCode());
        }
        LibsrtLog.addRejectionListener(server.rejectionListener);
        LOG.info(
                "event=srt-listening address={} port={} latencyMs={} maxConnections={} libsrt={}",
                server.localAddress.getAddress().getHostAddress(),
                server.localAddress.getPort(),
                settings.latencyMs(),
                settings.maxConnections(),
                library.version());
        server.acceptor.start();
        return server;
    }

    private void listen(InetSocketAddress bind) {
        int id = listener.id();
        // accepted sockets inherit these from the listener
        listener.setInt(SrtSocketOption.RCVLATENCY, settings.latencyMs(), "the receiver latency (ms)");
        listener.setInt(SrtSocketOption.PEERIDLETIMEO, settings.peerIdleTimeoutMs(), "the peer idle timeout (ms)");
        listener.setInt(SrtSocketOption.ENFORCEDENCRYPTION, 1, "enforced encryption");
        // before srt_listen, so that no handshake can arrive unjudged
        listener.check(api.srt_listen_callback(id, admission, null), "install the listen callback");
        Memory address = NativeSocketAddress.of(bind);
        listener.check(api.srt_bind(id, address, (int) address.size()), "bind to " + bind);
        listener.check(api.srt_listen(id, Math.min(settings.maxConnections(), MAX_BACKLOG)), "listen on " + bind);
        InetSocketAddress local = listener.localAddress();
        localAddress = local != null ? local : bind;
    }

    /** Where the listener is bound (with the real port when 0 was asked). */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** Connections established now (not counting handshakes in progress). */
    public int connectionCount() {
        return connections.size();
    }

    private void acceptLoop() {
        while (!closed.get()) {
            Memory address = new Memory(NativeSocketAddress.STORAGE_BYTES);
            address.clear();
            IntByReference length = new IntByReference((int) address.size());
            int id = api.srt_accept(listener.id(), address, length);
            if (id < 0) {
                int error = api.srt_getlasterror(null);
                if (closed.get() || error == SrtErrors.ESCLOSED || error == SrtErrors.EINVSOCK) {
                    break;
                }
                LOG.warn(
                        "event=srt-accept-failed port={} error=\"{}\" code={}",
                        localAddress.getPort(),
                        api.srt_getlasterror_str(),
                        error);
                LockSupport.parkNanos(ACCEPT_FAILURE_PAUSE_NANOS); // a persistent failure must not spin
                continue;
            }
            SrtSocket socket = new SrtSocket(api, id);
            PendingHandshakes.Pending handshake = pending.remove(id);
            if (handshake == null || closed.get()) {
                LOG.warn(
                        "event=srt-rejected reason={} remote={}",
                        handshake == null ? "no-handshake-record" : "server-closing",
                        NativeSocketAddress.read(address));
                socket.close();
                continue;
            }
            SrtIngestConnection connection =
                    new SrtIngestConnection(api, socket, handshake, gate, settings, alloc, connections::remove);
            Thread thread = new Thread(connection, "srt-ingest-" + CONNECTION_SEQUENCE.incrementAndGet());
            thread.setDaemon(true);
            connections.put(connection, thread);
            thread.start();
        }
    }

    /** libsrt refused, after our callback, a handshake of ours: say which input and why. */
    private void libsrtRejected(RejectedHandshake rejected) {
        PendingHandshakes.Pending handshake = pending.remove(rejected.socket());
        if (handshake == null) {
            return; // another server's, or one our callback refused (already logged)
        }
        String reason;
        if (RejectedHandshake.BAD_SECRET.equals(rejected.reason())) {
            reason = "bad-passphrase";
        } else if (RejectedHandshake.UNSECURE.equals(rejected.reason())) {
            reason = handshake.access().encrypted() ? "missing-passphrase" : "unexpected-passphrase";
        } else {
            reason = "handshake-failed libsrtReason=" + rejected.reason();
        }
        LOG.warn(
                "event=srt-rejected reason={} input={} remote={}",
                reason,
                handshake.access().label(),
                handshake.peer());
    }

    /**
     * Stops accepting, closes every connection (each sink gets {@code end("server closed")}) and waits, at most
     * about 5 s in all, for the threads to end. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + CLOSE_TIMEOUT_NANOS;
        listener.close(); // wakes srt_accept
        join(acceptor, deadline);
        List<Thread> threads = new ArrayList<>();
        connections.forEach((connection, thread) -> {
            connection.stop("server closed");
            threads.add(thread);
        });
        boolean allEnded = !acceptor.isAlive();
        for (Thread thread : threads) {
            join(thread, deadline);
            allEnded &= !thread.isAlive();
        }
        LibsrtLog.removeRejectionListener(rejectionListener);
        pending.clear();
        if (allEnded) {
            api.srt_cleanup();
        } else {
            // a thread still inside a libsrt call must not find the library torn down
            LOG.warn(
                    "event=srt-close-incomplete port={} reason=\"threads still running after 5 s\"",
                    localAddress.getPort());
        }
        LOG.info("event=srt-stopped port={}", localAddress.getPort());
    }

    private static void join(Thread thread, long deadlineNanos) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            return;
        }
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
