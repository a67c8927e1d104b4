package io.streamrepeater.relay;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;

/** Why a destination connection ended; shown in the last error and the events as {@code kind: detail}. */
enum FailureKind {
    DNS("dns"),
    REFUSED("refused"),
    UNREACHABLE("unreachable"),
    TIMEOUT("timeout"),
    TLS("tls"),
    /** The destination refused the publish (wrong key, name in use): retried only after a long pause. */
    REJECTED("publish-rejected"),
    /** No acknowledgement from the peer while we kept sending. */
    STALLED("stalled"),
    /** The send queue stayed behind too long or would have exceeded its bound. */
    BEHIND("behind"),
    CLOSED("closed"),
    OTHER("error");

    private final String label;

    FailureKind(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** Classifies a connect or I/O failure by its cause chain. */
    static FailureKind of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnknownHostException) {
                return DNS;
            }
            if (t instanceof SSLException) {
                return TLS;
            }
            if (t instanceof io.netty.channel.ConnectTimeoutException) {
                return TIMEOUT;
            }
            if (t instanceof NoRouteToHostException) {
                return UNREACHABLE;
            }
            if (t instanceof ConnectException) {
                return REFUSED;
            }
            if (t instanceof ClosedChannelException) {
                return CLOSED;
            }
        }
        return OTHER;
    }
}
