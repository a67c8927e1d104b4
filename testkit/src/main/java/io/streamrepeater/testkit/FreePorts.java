package io.streamrepeater.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for test servers, always on the loopback interface.
 *
 * <p>Ports come from below the kernel's ephemeral range (ip_local_port_range): a port from inside it (what binding
 * port 0 gives) can be taken as the local port of any outgoing connection of the machine (a relay's connection to
 * nginx, an HTTP client) between the moment it is chosen and the moment the server binds it, and then the server
 * fails with "Address already in use". Below the range only listeners compete, and no port is handed out twice by
 * one JVM.
 */
public final class FreePorts {

    private static final int LOWEST = 20_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * {@code K/N}, set by the build for test JVMs that run at the same time (app's two surefire forks): this JVM takes
     * its ports only from the K-th of N equal parts of the range, so two JVMs never hand out the same port (each knows
     * only its own). Without it, one JVM could bind a port another had just found free and handed to a server that
     * had not bound it yet ("Address already in use", seen once in ~1,700 tests).
     */
    static final String SLICE_PROPERTY = "testkit.portSlice";

    private FreePorts() {}

    /** {lowest, highest} of the K-th of N equal parts of [lowest, highest]; the whole range without a valid K/N. */
    static int[] slice(int lowest, int highest, String kOfN) {
        if (kOfN == null || !kOfN.matches("\\d+/\\d+")) {
            return new int[] {lowest, highest};
        }
        int k = Integer.parseInt(kOfN.substring(0, kOfN.indexOf('/')));
        int n = Integer.parseInt(kOfN.substring(kOfN.indexOf('/') + 1));
        if (n < 2 || k < 1 || k > n) {
            return new int[] {lowest, highest};
        }
        int size = (highest - lowest + 1) / n;
        int from = lowest + (k - 1) * size;
        return new int[] {from, from + size - 1};
    }

    /** A TCP port free on 127.0.0.1 a moment ago, outside the ephemeral range when the machine allows it. */
    public static int loopback() {
        return pick(true);
    }

    /** A UDP port free on 127.0.0.1 a moment ago (for SRT listeners), chosen the same way. */
    public static int loopbackUdp() {
        return pick(false);
    }

    private static int pick(boolean tcp) {
        int[] range = slice(LOWEST, ephemeralLow() - 1, System.getProperty(SLICE_PROPERTY));
        int lowest = range[0];
        int highest = range[1];
        if (highest - lowest >= 1000) {
            for (int attempt = 0; attempt < 200; attempt++) {
                int port = ThreadLocalRandom.current().nextInt(lowest, highest + 1);
                if (!HANDED_OUT.contains(port) && bindable(port, tcp) && HANDED_OUT.add(port)) {
                    return port;
                }
            }
        }
        return ephemeral(tcp);
    }

    private static boolean bindable(int port, boolean tcp) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try {
            if (tcp) {
                try (ServerSocket socket = new ServerSocket()) {
                    socket.setReuseAddress(true);
                    socket.bind(address, 1);
                }
            } else {
                try (DatagramSocket socket = new DatagramSocket(address)) {
                    return socket.getLocalPort() == port;
                }
            }
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static int ephemeral(boolean tcp) {
        try {
            if (tcp) {
                try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    return socket.getLocalPort();
                }
            }
            try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind an ephemeral port on 127.0.0.1", e);
        }
    }

    /** The first port of the kernel's ephemeral range; 32768 (Linux's default) when it cannot be read. */
    static int ephemeralLow() {
        try {
            // read as a stream: /proc files report a size of 0 (or less than they hold), which readString trusts
            String line;
            try (var reader = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
                line = reader.readLine();
            }
            String[] range = line.trim().split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException unreadable) {
            return 32_768;
        }
    }
}
