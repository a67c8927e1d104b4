package io.streamrepeater.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slow attackers of an ingest port: TCP connections from chosen loopback source addresses that each send one byte a
 * second (first a valid C0, then C1 bytes that never add up to a handshake) and never read. Once a second every
 * connection is checked; one the server closed is counted and, if asked, opened again on the next tick, as a real
 * slowloris keeps its slots busy. Runs on one scheduler thread until {@link #close()} or {@code maxRun}.
 */
final class Slowloris implements AutoCloseable {
    private final InetSocketAddress target;
    private final boolean reconnect;
    private final List<Attacker> attackers = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slowloris");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger closedByServer = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicInteger connectFailures = new AtomicInteger();
    private final long stopAtNanos;

    /**
     * @param sources loopback source addresses, e.g. {@code 127.0.0.2}
     * @param perSource connections from each source
     * @param reconnect whether a closed connection is opened again on the next tick
     * @param maxRun the attack stops by itself after this long, whatever the test does
     */
    static Slowloris start(int port, List<String> sources, int perSource, boolean reconnect, Duration maxRun) {
        Slowloris s = new Slowloris(new InetSocketAddress("127.0.0.1", port), reconnect, maxRun);
        for (String source : sources) {
            for (int i = 0; i < perSource; i++) {
                s.attackers.add(s.new Attacker(new InetSocketAddress(source, 0)));
            }
        }
        s.scheduler.scheduleAtFixedRate(s::tick, 0, 1, TimeUnit.SECONDS);
        return s;
    }

    private Slowloris(InetSocketAddress target, boolean reconnect, Duration maxRun) {
        this.target = target;
        this.reconnect = reconnect;
        this.stopAtNanos = System.nanoTime() + maxRun.toNanos();
    }

    /** @return how many of our connections the server has closed so far */
    int closedByServer() {
        return closedByServer.get();
    }

    /** @return how many of our connections are open now, as far as the last tick saw */
    int open() {
        return open.get();
    }

    /** @return how many connections were opened, first round and reconnects */
    int connects() {
        return connects.get();
    }

    /** @return connections that could not even be opened (the listener refused or reset them) */
    int connectFailures() {
        return connectFailures.get();
    }

    private void tick() {
        if (System.nanoTime() - stopAtNanos > 0) {
            closeAll();
            scheduler.shutdown();
            return;
        }
        for (Attacker a : attackers) {
            a.tick();
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeAll();
    }

    private synchronized void closeAll() {
        for (Attacker a : attackers) {
            a.drop();
        }
    }

    /** One attacking connection; only the scheduler thread (or close, after it stopped) touches it. */
    private final class Attacker {
        private final InetSocketAddress source;
        private final ByteBuffer in = ByteBuffer.allocate(64);
        private SocketChannel channel;
        private boolean opened;
        private int sent;

        Attacker(InetSocketAddress source) {
            this.source = source;
        }

        void tick() {
            if (channel == null) {
                if (opened && !reconnect) {
                    return;
                }
                connect();
                return;
            }
            if (closedByPeer()) {
                closedByServer.incrementAndGet();
                drop();
                return;
            }
            try {
                // C0 = 3 (a valid version, so it is not refused at once), then C1 bytes for ever.
                channel.write(ByteBuffer.wrap(new byte[] {(byte) (sent == 0 ? 3 : sent)}));
                sent++;
            } catch (IOException e) {
                closedByServer.incrementAndGet();
                drop();
            }
        }

        private void connect() {
            try {
                SocketChannel ch = SocketChannel.open();
                ch.bind(source);
                ch.connect(target);
                ch.configureBlocking(false);
                channel = ch;
                opened = true;
                sent = 0;
                open.incrementAndGet();
                connects.incrementAndGet();
            } catch (IOException e) {
                connectFailures.incrementAndGet(); // counted, and tried again on the next tick
                opened = true;
            }
        }

        private boolean closedByPeer() {
            try {
                in.clear();
                return channel.read(in) < 0;
            } catch (IOException e) {
                return true; // reset
            }
        }

        void drop() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                channel = null;
                open.decrementAndGet();
            }
        }
    }
}
