package io.streamrepeater.rtmp.session;

import io.netty.channel.Channel;

/** What an outbound publish session reports to its owner. Called on the connection's event loop. */
public interface PublishListener {
    /** The destination accepted the publish; media goes on {@code messageStreamId}. */
    void live(Channel channel, int messageStreamId);

    /**
     * The destination refused (connect or publish error), with the peer's own status code and text.
     * The connection is closed right after.
     */
    void rejected(String statusCode, String description);

    /**
     * The destination acknowledged what it received (RTMP Acknowledgement): it reads what we send.
     * Sent only after we announced a window ({@link PublishClientSession}'s {@code ackWindowBytes}).
     *
     * @param sequenceNumber the peer's count of bytes received so far, modulo 2^32
     */
    default void acknowledged(long sequenceNumber) {}

    /** The connection failed with an exception (TLS handshake, I/O error); it is closed right after. */
    default void failed(Throwable cause) {}
}
