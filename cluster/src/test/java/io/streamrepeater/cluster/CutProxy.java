package io.streamrepeater.cluster;

import io.streamrepeater.testkit.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on 127.0.0.1 in front of the test PostgreSQL, to take the store away from one node: {@link #cut()}
 * closes every connection and the listening port (the node sees resets, then refused connections, as when the
 * server is stopped or the network is down); {@link #restore()} listens on the same port again. {@link #freeze()}
 * keeps every connection open but forwards nothing (a server or network that stops answering without closing);
 * {@link #thaw()} forwards again.
 */
final class CutProxy implements AutoCloseable {
    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object frozenLock = new Object();
    private boolean frozen;
    private ServerSocket server;

    private CutProxy(int targetPort) {
        this.targetPort = targetPort;
        this.port = FreePorts.loopback();
    }

    /** A proxy to 127.0.0.1:{@code targetPort}, listening. */
    static CutProxy start(int targetPort) {
        CutProxy proxy = new CutProxy(targetPort);
        proxy.restore();
        return proxy;
    }

    /** @return the JDBC URL with the proxy's port instead of the server's */
    String through(String jdbcUrl) {
        return jdbcUrl.replace("127.0.0.1:" + targetPort + "/", "127.0.0.1:" + port + "/");
    }

    /** Closes the listening port and every connection through it. */
    synchronized void cut() {
        closeQuietly(server);
        server = null;
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    /** Listens again on the same port. */
    synchronized void restore() {
        if (server != null) {
            return;
        }
        try {
            ServerSocket listening = new ServerSocket();
            listening.setReuseAddress(true);
            listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = listening;
            daemon("cut-proxy-accept-" + port, () -> accept(listening));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
    }

    /** Holds every byte read from now on until {@link #thaw()} (or a cut). */
    void freeze() {
        synchronized (frozenLock) {
            frozen = true;
        }
    }

    void thaw() {
        synchronized (frozenLock) {
            frozen = false;
            frozenLock.notifyAll();
        }
    }

    @Override
    public void close() {
        thaw();
        cut();
    }

    /** Waits while frozen; bounded by the socket: a cut or close ends the wait at the next check. */
    private void waitWhileFrozen(Socket socket) throws IOException {
        synchronized (frozenLock) {
            while (frozen && !socket.isClosed()) {
                try {
                    frozenLock.wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        }
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                daemon("cut-proxy-up", () -> pump(client, upstream));
                daemon("cut-proxy-down", () -> pump(upstream, client));
            } catch (IOException e) {
                // closed by cut(), or the target refused: the client sees its connection closed
            }
        }
    }

    /** Copies until either side closes (a cut closes both); every blocking read ends when its socket is closed. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            for (int read; (read = in.read(buffer)) >= 0; ) {
                waitWhileFrozen(to);
                out.write(buffer, 0, read);
            }
        } catch (IOException e) {
            // closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
