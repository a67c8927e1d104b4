package io.streamrepeater.control.webhooks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver on 127.0.0.1 for tests: records every request and answers with the scripted
 * status codes in turn, then 200. It can also hold answers until released, to play a slow receiver.
 */
final class LocalReceiver implements AutoCloseable {
    /** One request as received. */
    record Request(String method, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Integer> script = new ArrayDeque<>();
    private volatile CountDownLatch hold = new CountDownLatch(0);

    private LocalReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-webhook-receiver");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            requests.add(new Request(exchange.getRequestMethod(), Map.copyOf(exchange.getRequestHeaders()), body));
            try {
                hold.await(20, TimeUnit.SECONDS); // bounded: a forgotten release cannot hang the test run
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int status;
            synchronized (script) {
                status = script.isEmpty() ? 200 : script.pollFirst();
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    static LocalReceiver start() throws IOException {
        return new LocalReceiver();
    }

    /** The next requests get these status codes, in order; later ones get 200. */
    LocalReceiver answer(int... statuses) {
        synchronized (script) {
            for (int status : statuses) {
                script.addLast(status);
            }
        }
        return this;
    }

    /** Requests are recorded at once but answered only after {@link #release()}. */
    void holdAnswers() {
        hold = new CountDownLatch(1);
    }

    void release() {
        hold.countDown();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
