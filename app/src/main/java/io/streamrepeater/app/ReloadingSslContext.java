package io.streamrepeater.app;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS side of the RTMPS listener: the current {@link ServerCertificate}, replaced when its files
 * change on disk.
 *
 * <p>The files are polled (modification time, size and file identity, every {@code pollInterval}) on a
 * thread of its own, never on an event loop. Polling notices a file replaced by a rename, as certbot
 * and most deployment tools do, which a directory watch can miss. A change is acted on once the files
 * have looked the same for one whole interval, so a certificate and key written one after the other
 * are read as a pair. New connections take the new certificate; connections already open keep the
 * one they started with. A change that cannot be used is logged once and the old certificate stays.
 */
final class ReloadingSslContext implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingSslContext.class);

    private final Path certFile;
    private final Path keyFile;
    private final ScheduledExecutorService poller;
    private volatile ServerCertificate current;
    /** The stamps of the files {@link #current} was read from. Touched only by the poller after start. */
    private Stamps loaded;
    /** What the previous poll saw, to wait for the files to settle. */
    private Stamps previous;
    /** The stamps of the last change that failed, so that it is reported once. */
    private Stamps failed;
    /** Told of every certificate taken after the first (the HTTPS listener reloads its own). */
    private final java.util.List<java.util.function.Consumer<ServerCertificate>> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    private ReloadingSslContext(
            Path certFile, Path keyFile, ServerCertificate first, Stamps stamps, Duration pollInterval) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.current = first;
        this.loaded = stamps;
        this.previous = stamps;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tls-reload");
            t.setDaemon(true);
            return t;
        });
        long ms = pollInterval.toMillis();
        poller.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Reads the certificate and key and starts watching them.
     *
     * @param pollInterval how often the files are looked at; a change is in force one to two intervals later
     * @throws TlsFileException when the files cannot be used now
     */
    static ReloadingSslContext start(Path certFile, Path keyFile, Duration pollInterval) {
        if (pollInterval.toMillis() < 1) {
            throw new IllegalArgumentException("pollInterval must be at least 1 ms, got " + pollInterval);
        }
        Stamps stamps = Stamps.of(certFile, keyFile);
        ServerCertificate first = ServerCertificate.load(certFile, keyFile);
        LOG.info(
                "event=tls-loaded certFile={} subject=\"{}\" serial={} notAfter={}",
                certFile,
                first.subject(),
                first.serial(),
                first.notAfter());
        warnIfExpired(first);
        return new ReloadingSslContext(certFile, keyFile, first, stamps, pollInterval);
    }

    /**
     * A TLS handler for a connection that is starting, with the certificate current now.
     *
     * @param alloc allocates the handler's buffers; the handler releases them itself
     */
    SslHandler newHandler(ByteBufAllocator alloc) {
        return current.context().newHandler(alloc);
    }

    /** {@code listener} is told (on the poller's thread) of every certificate taken from now on. */
    void onReload(java.util.function.Consumer<ServerCertificate> listener) {
        listeners.add(listener);
    }

    /** @return the certificate that new connections get */
    ServerCertificate current() {
        return current;
    }

    private void poll() {
        try {
            Stamps now = Stamps.of(certFile, keyFile);
            Stamps before = previous;
            previous = now;
            if (now.equals(loaded) || !now.equals(before) || now.equals(failed)) {
                return; // unchanged, still being written, or already reported
            }
            try {
                ServerCertificate next = ServerCertificate.load(certFile, keyFile);
                current = next;
                loaded = now;
                failed = null;
                LOG.info(
                        "event=tls-reloaded certFile={} subject=\"{}\" serial={} notAfter={}",
                        certFile,
                        next.subject(),
                        next.serial(),
                        next.notAfter());
                warnIfExpired(next);
                listeners.forEach(l -> l.accept(next));
            } catch (TlsFileException e) {
                failed = now;
                LOG.warn(
                        "event=tls-reload-failed file={} reason=\"{}\" kept=\"{}\" keptNotAfter={}",
                        e.file(),
                        e.reason(),
                        current.subject(),
                        current.notAfter());
            }
        } catch (RuntimeException e) {
            // A poll must never end the schedule: scheduleWithFixedDelay stops after an exception.
            LOG.warn("event=tls-reload-failed file={} reason=\"{}\"", certFile, e.toString());
        }
    }

    private static void warnIfExpired(ServerCertificate certificate) {
        if (certificate.notAfter().isBefore(Instant.now())) {
            LOG.warn(
                    "event=tls-certificate-expired subject=\"{}\" notAfter={}",
                    certificate.subject(),
                    certificate.notAfter());
        }
    }

    /** Stops watching; connections keep working with the certificate they have. */
    @Override
    public void close() {
        poller.shutdownNow();
    }

    /** What identifies one version of the two files without reading them. */
    private record Stamps(Stamp cert, Stamp key) {
        static Stamps of(Path certFile, Path keyFile) {
            return new Stamps(Stamp.of(certFile), Stamp.of(keyFile));
        }
    }

    /**
     * @param fileKey the inode (on Linux), which changes when the file is replaced by a rename; null when
     *     the file system has none or the file is missing
     */
    private record Stamp(FileTime modified, long size, Object fileKey) {
        private static final Stamp MISSING = new Stamp(FileTime.fromMillis(0), -1, null);

        /** Follows symbolic links, so a certbot {@code live/} link that moves to a new file counts as a change. */
        static Stamp of(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return new Stamp(a.lastModifiedTime(), a.size(), a.fileKey());
            } catch (IOException e) {
                return MISSING;
            }
        }
    }
}
