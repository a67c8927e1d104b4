package io.streamrepeater.rtmp.session;

import java.net.SocketAddress;

/** The encoder side of a publish, as the rest of the server sees it. */
public interface Publisher {
    /** Short id for logs, e.g. {@code ingest-12}. */
    String id();

    SocketAddress remoteAddress();

    /** How the encoder publishes, for the input's status: {@code rtmp} or {@code rtmps}. */
    default String transport() {
        return "rtmp";
    }

    /** Closes the publisher's connection (from any thread), logging the reason. */
    void disconnect(String reason);

    /**
     * Asks the encoder to publish to another server from now on (Enhanced RTMP v2's reconnect request), if it
     * announced that it understands it; the encoder reconnects by itself, at a media boundary, and this connection
     * ends when it leaves. Safe from any thread.
     *
     * @param host where to publish: {@code rtmp://host:port/APP}, with the encoder's own application name
     * @param description why, as the encoder will log it
     * @return false if the encoder did not announce support (nothing is sent)
     */
    default boolean requestReconnect(String host, int port, String description) {
        return false;
    }
}
