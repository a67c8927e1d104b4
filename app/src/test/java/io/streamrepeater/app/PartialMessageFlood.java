package io.streamrepeater.app;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Peers without a stream key that try to make an ingest port hold megabytes (issue 17): each completes the
 * handshake, announces an 8 MB chunk size, starts a 16 MiB command message and sends {@code bytesEach} of it, then
 * idles, never sending {@code connect}. Bounded: every socket times out after 5 s, the whole flood after 30 s.
 * Public for the soak benchmark.
 */
public final class PartialMessageFlood {
    private PartialMessageFlood() {}

    /**
     * Runs the flood against {@code 127.0.0.1:port} from {@code addresses} loopback sources
     * ({@code 127.0.0.41}, {@code .42}…), {@code perAddress} connections each.
     *
     * @return how many of the connections the server closed
     */
    public static int run(int port, int addresses, int perAddress, int bytesEach) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Boolean>> attacks = new ArrayList<>();
        try {
            for (int a = 0; a < addresses; a++) {
                String source = "127.0.0." + (41 + a);
                for (int i = 0; i < perAddress; i++) {
                    attacks.add(pool.submit(() -> attack(source, port, bytesEach)));
                }
            }
            int closed = 0;
            for (Future<Boolean> f : attacks) {
                if (f.get(30, TimeUnit.SECONDS)) {
                    closed++;
                }
            }
            return closed;
        } finally {
            pool.shutdownNow();
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("flood threads did not end within 10 s");
            }
        }
    }

    /** One attacker; true when the server closed its connection (a write or the read failed, or end of stream). */
    private static boolean attack(String source, int port, int bytes) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(source, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            // simple handshake: C0 C1 (zeros), S0 S1 S2 back, C2 echoes S1
            byte[] c0c1 = new byte[1 + 1536];
            c0c1[0] = 3;
            out.write(c0c1);
            byte[] s0s1s2 = new byte[1 + 1536 + 1536];
            in.readFully(s0s1s2);
            out.write(s0s1s2, 1, 1536);
            // SetChunkSize 8 MB on chunk stream 2
            out.write(new byte[] {0x02, 0, 0, 0, 0, 0, 4, 0x01, 0, 0, 0, 0, 0x00, (byte) 0x80, 0, 0});
            // the first chunk of a 16 MiB command message on chunk stream 3, and as much of it as the server takes
            out.write(ByteBuffer.allocate(12)
                    .put((byte) 0x03)
                    .put(new byte[] {0, 0, 0})
                    .put(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF})
                    .put((byte) 0x14)
                    .putInt(0)
                    .array());
            byte[] block = new byte[64 * 1024];
            for (int sent = 0; sent < bytes; sent += block.length) {
                out.write(block);
            }
            out.flush();
            // then idle, as the attackers did: the server must have closed by now, or close soon
            return in.read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException closedByServer) {
            return true;
        }
    }
}
