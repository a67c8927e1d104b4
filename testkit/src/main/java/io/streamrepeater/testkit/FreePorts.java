package io.streamrepeater.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** TCP ports for test servers, always on the loopback interface. */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * A TCP port that was free on 127.0.0.1 a moment ago. Another process may take it before the caller
     * binds it; servers started by testkit retry with a fresh port when that happens.
     */
    public static int loopback() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind an ephemeral port on 127.0.0.1", e);
        }
    }
}
