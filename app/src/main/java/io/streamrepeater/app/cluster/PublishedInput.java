package io.streamrepeater.app.cluster;

import io.netty.channel.EventLoop;
import io.streamrepeater.channel.InputSession;
import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.rtmp.session.PublishDecision;
import io.streamrepeater.rtmp.session.PublishSink;
import io.streamrepeater.rtmp.session.Publisher;
import java.net.InetSocketAddress;

/**
 * What the RTMP publish gates share once they have opened a channel's input, whoever the publisher is (an encoder
 * with the input's key, or another node over the cluster link): the accepted publish feeding the input session, and
 * how a publisher's address is written in logs and status.
 */
public final class PublishedInput {
    private PublishedInput() {}

    /**
     * The publish is accepted: its packets go to {@code session}, its end closes it, and the connection moves to the
     * channel's event loop.
     */
    public static PublishDecision.Accepted accepted(InputSession session, LiveChannel channel, String label) {
        return accepted(session, channel, label, () -> {});
    }

    /** As {@link #accepted(InputSession, LiveChannel, String)}, and {@code onEnd} runs when the publish ends. */
    public static PublishDecision.Accepted accepted(
            InputSession session, LiveChannel channel, String label, Runnable onEnd) {
        return new PublishDecision.Accepted(
                new PublishSink() {
                    @Override
                    public void packet(MediaPacket packet) {
                        session.packet(packet);
                    }

                    @Override
                    public void end(String reason) {
                        session.close(reason);
                        onEnd.run();
                    }
                },
                label,
                channel.loop() instanceof EventLoop home ? home : null);
    }

    /** HOST:PORT as an operator writes it ({@code 203.0.113.7:50312}, {@code [2001:db8::1]:50312}), not Java's "/…". */
    public static String address(Publisher publisher) {
        return address(publisher.remoteAddress());
    }

    /** An encoder's address as the status shows it, whatever its transport: {@code 127.0.0.1:5000}, {@code [::1]:5000}. */
    public static String address(java.net.SocketAddress remote) {
        if (remote instanceof InetSocketAddress a && a.getAddress() != null) {
            String host = a.getAddress().getHostAddress();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
        }
        return String.valueOf(remote);
    }

    /** The publisher's host alone (the key of per-address limits and logs). */
    public static String host(Publisher publisher) {
        return publisher.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress()
                : String.valueOf(publisher.remoteAddress());
    }
}
