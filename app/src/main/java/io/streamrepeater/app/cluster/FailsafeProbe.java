package io.streamrepeater.app.cluster;

import io.streamrepeater.cluster.PeerFailsafe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PeerFailsafe} of one node over UDP on its cluster port (the same number as the TCP cluster link). An
 * owner whose store does not answer sends each peer a signed ask; a peer answers it, signed, and from then on takes
 * no lease for {@code leaseMs} (on its own monotonic clock). The owner's fences are extended only by an ask every
 * peer answered. Messages are one line each: {@code SRFS1 ask|answer FROM TO NONCE WALL-MS} and the HMAC-SHA256 of
 * that line under the cluster's {@link LinkKey} in hex; a message with a wrong signature, for another node, or more
 * than {@link #MAX_CLOCK_SKEW_MS} away from this node's wall clock (a replay) is ignored.
 *
 * <p>Threads: {@link #ask()} and the other {@link PeerFailsafe} calls come from the lease keeper; one daemon thread
 * receives. The node's name is the sender's identity, proven by the shared key (every node holds it).
 */
public final class FailsafeProbe implements PeerFailsafe, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FailsafeProbe.class);
    private static final String MAGIC = "SRFS1";
    /** How far a message's wall-clock stamp may be from this node's: further is taken for a replay and ignored. */
    static final long MAX_CLOCK_SKEW_MS = 30_000;
    /** Asks whose answers are still counted: the latest few (one is sent per keeper round). */
    private static final int ROUNDS_KEPT = 16;

    private final String self;
    private final LinkKey key;
    private final long leaseNanos;
    private final Supplier<Map<String, InetSocketAddress>> peers;
    private final Clock wallClock;
    private final DatagramChannel socket;
    private final Thread receiver;
    private final SecureRandom random = new SecureRandom();

    /** Asks sent by nonce, with the peers that have not answered yet; guarded by itself. */
    private final Map<Long, Round> rounds = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Round> eldest) {
            return size() > ROUNDS_KEPT;
        }
    };

    private volatile Confirmation latest;
    private volatile boolean asking;
    /** Peer to the nanoTime until which this node promised it to take no lease. */
    private final Map<String, Long> promises = new ConcurrentHashMap<>();

    private record Round(long sentAtNanos, Set<String> pending) {}

    private FailsafeProbe(
            String self,
            LinkKey key,
            long leaseMs,
            Supplier<Map<String, InetSocketAddress>> peers,
            Clock wallClock,
            DatagramChannel socket) {
        this.self = self;
        this.key = key;
        this.leaseNanos = leaseMs * 1_000_000L;
        this.peers = peers;
        this.wallClock = wallClock;
        this.socket = socket;
        this.receiver = new Thread(this::receive, "cluster-failsafe-" + self);
        this.receiver.setDaemon(true);
    }

    /**
     * Binds {@code host:port} (UDP) and starts receiving.
     *
     * @param peers every other node that may take a lease, by name, with its cluster address (read at each ask)
     * @throws IllegalStateException if the port cannot be bound
     */
    public static FailsafeProbe open(
            String self,
            String host,
            int port,
            LinkKey key,
            long leaseMs,
            Supplier<Map<String, InetSocketAddress>> peers,
            Clock wallClock) {
        DatagramChannel socket = null;
        try {
            InetSocketAddress local = new InetSocketAddress(host, port);
            socket = DatagramChannel.open(
                    local.getAddress() instanceof java.net.Inet6Address
                            ? StandardProtocolFamily.INET6
                            : StandardProtocolFamily.INET);
            socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            socket.bind(local);
        } catch (IOException | RuntimeException e) {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing what could not be bound
                }
            }
            throw new IllegalStateException(
                    "cannot listen for the cluster failsafe on UDP " + host + ":" + port
                            + " (server.cluster.clusterPort): " + e.getMessage(),
                    e);
        }
        FailsafeProbe probe = new FailsafeProbe(self, key, leaseMs, peers, wallClock, socket);
        probe.receiver.start();
        return probe;
    }

    /** The bound UDP port. */
    public int port() {
        try {
            return ((InetSocketAddress) socket.getLocalAddress()).getPort();
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void ask() {
        Map<String, InetSocketAddress> targets = peers.get();
        long nonce = random.nextLong();
        long sentAt = System.nanoTime();
        if (!asking) {
            asking = true;
            LOG.warn("event=failsafe-asking node={} peers={}", self, targets.keySet());
        }
        if (targets.isEmpty()) {
            confirm(new Confirmation(sentAt, sentAt)); // nobody else could take a lease
            return;
        }
        synchronized (rounds) {
            rounds.put(nonce, new Round(sentAt, new HashSet<>(targets.keySet())));
        }
        for (Map.Entry<String, InetSocketAddress> peer : targets.entrySet()) {
            send(peer.getValue(), "ask", peer.getKey(), nonce);
        }
    }

    @Override
    public void storeAnswers() {
        if (asking) {
            LOG.info("event=failsafe-ended node={} reason=store-answers", self);
        }
        asking = false;
        latest = null;
        synchronized (rounds) {
            rounds.clear();
        }
    }

    @Override
    public Optional<Confirmation> latest() {
        return Optional.ofNullable(latest);
    }

    @Override
    public boolean holdingOff() {
        long now = System.nanoTime();
        promises.values().removeIf(until -> now - until >= 0);
        return !promises.isEmpty();
    }

    private void confirm(Confirmation c) {
        Confirmation before = latest;
        if (before == null || c.sentAtNanos() - before.sentAtNanos() > 0) {
            latest = c;
            if (before == null) {
                LOG.info("event=failsafe-confirmed node={} by=every-peer", self);
            }
        }
    }

    private void send(SocketAddress to, String kind, String toNode, long nonce) {
        String line = MAGIC + " " + kind + " " + self + " " + toNode + " " + nonce + " " + wallClock.millis();
        byte[] bytes = (line + " " + HexFormat.of().formatHex(key.mac(line))).getBytes(StandardCharsets.UTF_8);
        try {
            socket.send(ByteBuffer.wrap(bytes), to);
        } catch (IOException e) {
            LOG.debug("event=failsafe-send-failed node={} to={} error={}", self, toNode, e.toString());
        }
    }

    /** The receiving thread: until the socket closes. */
    private void receive() {
        ByteBuffer buffer = ByteBuffer.allocate(512);
        while (socket.isOpen()) {
            try {
                buffer.clear();
                SocketAddress from = socket.receive(buffer);
                buffer.flip();
                handle(StandardCharsets.UTF_8.decode(buffer).toString(), from);
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.debug("event=failsafe-receive-failed node={} error={}", self, e.toString());
            }
        }
    }

    private void handle(String message, SocketAddress from) {
        String[] f = message.split(" ");
        if (f.length != 7 || !f[0].equals(MAGIC) || !f[3].equals(self)) {
            return;
        }
        String line = String.join(" ", f[0], f[1], f[2], f[3], f[4], f[5]);
        byte[] mac;
        long nonce;
        long wallMs;
        try {
            mac = HexFormat.of().parseHex(f[6]);
            nonce = Long.parseLong(f[4]);
            wallMs = Long.parseLong(f[5]);
        } catch (IllegalArgumentException malformed) {
            return;
        }
        if (!MessageDigest.isEqual(mac, key.mac(line)) || Math.abs(wallClock.millis() - wallMs) > MAX_CLOCK_SKEW_MS) {
            return;
        }
        String peer = f[2];
        if (f[1].equals("ask")) {
            if (promises.put(peer, System.nanoTime() + leaseNanos) == null) {
                LOG.warn("event=failsafe-holding-off node={} for={} reason=\"its store does not answer\"", self, peer);
            }
            send(from, "answer", peer, nonce);
        } else if (f[1].equals("answer")) {
            answered(peer, nonce);
        }
    }

    private void answered(String peer, long nonce) {
        long now = System.nanoTime();
        Round round;
        synchronized (rounds) {
            round = rounds.get(nonce);
            if (round == null
                    || !round.pending().remove(peer)
                    || !round.pending().isEmpty()) {
                return;
            }
        }
        confirm(new Confirmation(round.sentAtNanos(), now));
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
        try {
            receiver.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
