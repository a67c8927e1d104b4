package io.streamrepeater.rtmp.limits;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the open ingest connections, in total and per peer address. One instance is shared by every connection of a
 * listener and sits first in each pipeline: a connection over a cap is closed as soon as it is active, before a byte
 * is read or a later handler learns of it ({@code channelActive} stops here), and counted as
 * {@link IngestLimit#MAX_CONNECTIONS_PER_ADDRESS} or {@link IngestLimit#MAX_CONNECTIONS}. An admitted connection
 * gives its place back when it closes. The per-address cap is checked first, so a single flooding address is named
 * as such even when it also filled the total.
 */
@ChannelHandler.Sharable
public final class ConnectionCap extends ChannelInboundHandlerAdapter {
    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final IngestLimitEvents events;
    private final AtomicInteger total = new AtomicInteger();
    private final Map<Object, Integer> perAddress = new ConcurrentHashMap<>();

    /**
     * @param maxConnections how many connections may be open at once, at least 1
     * @param maxConnectionsPerAddress how many of them may come from one IP address, at least 1
     * @param events where refusals are counted and logged
     */
    public ConnectionCap(int maxConnections, int maxConnectionsPerAddress, IngestLimitEvents events) {
        if (maxConnections < 1 || maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException("maxConnections and maxConnectionsPerAddress must be at least 1, got "
                    + maxConnections + " and " + maxConnectionsPerAddress);
        }
        this.maxConnections = maxConnections;
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
        this.events = events;
    }

    /** @return the connections open now */
    public int connections() {
        return total.get();
    }

    /** @return the connections open now from the IP address of {@code remote} */
    public int connectionsFrom(SocketAddress remote) {
        return perAddress.getOrDefault(addressOf(remote), 0);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        SocketAddress remote = ctx.channel().remoteAddress();
        Object address = addressOf(remote);
        if (!reserveFor(address)) {
            events.hit(IngestLimit.MAX_CONNECTIONS_PER_ADDRESS, remote, "max=" + maxConnectionsPerAddress);
            ctx.close();
            return;
        }
        if (!reserveTotal()) {
            releaseFor(address);
            events.hit(IngestLimit.MAX_CONNECTIONS, remote, "max=" + maxConnections);
            ctx.close();
            return;
        }
        ctx.channel().closeFuture().addListener(f -> {
            total.decrementAndGet();
            releaseFor(address);
        });
        ctx.fireChannelActive();
    }

    private boolean reserveFor(Object address) {
        boolean[] admitted = new boolean[1];
        perAddress.compute(address, (a, n) -> {
            int now = n == null ? 0 : n;
            admitted[0] = now < maxConnectionsPerAddress;
            return admitted[0] ? now + 1 : n;
        });
        return admitted[0];
    }

    private void releaseFor(Object address) {
        perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    private boolean reserveTotal() {
        while (true) {
            int now = total.get();
            if (now >= maxConnections) {
                return false;
            }
            if (total.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** The IP address without the port; other address kinds (tests, local sockets) count as themselves. */
    private static Object addressOf(SocketAddress remote) {
        if (remote instanceof InetSocketAddress isa && isa.getAddress() != null) {
            return isa.getAddress();
        }
        return String.valueOf(remote);
    }
}
