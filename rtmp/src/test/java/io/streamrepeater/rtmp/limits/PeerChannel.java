package io.streamrepeater.rtmp.limits;

import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * An embedded connection from a chosen peer address; its handlers are added before it becomes active, and its clock
 * is a mock that only {@link #advance} moves.
 */
final class PeerChannel extends EmbeddedChannel {
    private final SocketAddress remote;
    private final MockTicker ticker;

    PeerChannel(String host, int port, ChannelHandler... handlers) {
        this(Ticker.newMockTicker(), host, port, handlers);
    }

    private PeerChannel(MockTicker ticker, String host, int port, ChannelHandler... handlers) {
        super(EmbeddedChannel.builder().register(false).ticker(ticker));
        this.ticker = ticker;
        this.remote = new InetSocketAddress(host, port);
        pipeline().addLast(handlers);
        try {
            register();
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the embedded channel", e);
        }
    }

    /** Moves the clock on and runs the scheduled tasks that became due. */
    void advance(long millis) {
        ticker.advance(millis, TimeUnit.MILLISECONDS);
        runScheduledPendingTasks();
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }
}
