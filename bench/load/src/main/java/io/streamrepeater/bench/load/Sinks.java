package io.streamrepeater.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The destinations: one nginx-rtmp with applications {@code d1..dN}, each recording every stream it
 * receives (one file per publish session), so frames lost on the way can be counted afterwards.
 */
final class Sinks implements AutoCloseable {
    private final NginxProcess nginx;
    private final Path recordings;

    private Sinks(NginxProcess nginx, Path recordings) {
        this.nginx = nginx;
        this.recordings = recordings;
    }

    static Sinks start(Path dir, int port, int destinations) throws IOException {
        Path rec = dir.resolve("rec");
        StringBuilder body = new StringBuilder();
        for (int d = 1; d <= destinations; d++) {
            Path appDir = rec.resolve("d" + d);
            Files.createDirectories(appDir);
            body.append("    application d")
                    .append(d)
                    .append(" {\n      live on;\n      record all;\n")
                    .append("      record_unique on;\n      record_path ")
                    .append(appDir)
                    .append(";\n    }\n");
        }
        return new Sinks(NginxProcess.start(dir, port, body.toString()), rec);
    }

    /** {@code rtmp://127.0.0.1:PORT/dN}: a destination application, the stream name appended by the caller. */
    String applicationUrl(int destination) {
        return "rtmp://127.0.0.1:" + nginx.port() + "/d" + destination;
    }

    List<Path> recordings() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(recordings)) {
            walk.filter(p -> p.toString().endsWith(".flv")).forEach(files::add);
        }
        return files;
    }

    @Override
    public void close() {
        nginx.close();
    }
}
