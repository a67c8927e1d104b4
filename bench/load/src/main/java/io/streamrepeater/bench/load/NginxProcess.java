package io.streamrepeater.bench.load;

import io.streamrepeater.testkit.ExternalProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * An nginx with the RTMP module, run as its own single process ({@code master_process off}, one worker's
 * work in one pid, so /proc figures are the whole server) with everything inside {@code workDir}.
 */
final class NginxProcess implements AutoCloseable {
    static final Path RTMP_MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");

    private final ExternalProcess process;
    private final int port;

    private NginxProcess(ExternalProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts nginx with {@code rtmpServerBody} inside {@code rtmp { server { listen 127.0.0.1:PORT; ... } }}
     * and waits (at most 10 s) until it accepts connections.
     */
    static NginxProcess start(Path workDir, int port, String rtmpServerBody) throws IOException {
        Files.createDirectories(workDir);
        String conf = "load_module " + RTMP_MODULE + ";\n"
                + "daemon off;\nmaster_process off;\n"
                + ("root".equals(System.getProperty("user.name")) ? "user root;\n" : "")
                + "error_log " + workDir.resolve("error.log") + " warn;\n"
                + "pid " + workDir.resolve("nginx.pid") + ";\n"
                + "worker_rlimit_nofile 8192;\n"
                + "events { worker_connections 4096; }\n"
                + "rtmp {\n  server {\n    listen 127.0.0.1:" + port + ";\n" + rtmpServerBody + "  }\n}\n";
        Path confFile = workDir.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        ExternalProcess p = ExternalProcess.start(
                "nginx :" + port,
                List.of("nginx", "-p", workDir + "/", "-c", confFile.toString()),
                workDir.resolve("nginx.out.log"));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!accepts(port)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.kill();
                throw new IllegalStateException("nginx did not start on 127.0.0.1:" + port + "; error.log:\n"
                        + readQuietly(workDir.resolve("error.log")) + p.log());
            }
            Pause.millis(50);
        }
        return new NginxProcess(p, port);
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        // SIGQUIT: graceful, so the record module closes its files.
        process.stop("QUIT", Duration.ofSeconds(5));
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
