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
}
