package io.streamrepeater.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code stream-repeater apply -f FILE}: applies the channels of a YAML file to a running server. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Apply the channels of a configuration file to a running server (created or updated live; "
                + "channels not in the file are left alone).")
public final class ApplyCommand implements Callable<Integer> {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "YAML configuration file.")
    Path file;

    @Option(names = "--server", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "The server's HTTP address (default: ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Admin token (default: $STREAM_REPEATER_TOKEN).")
    String token;

    @Override
    public Integer call() throws Exception {
        try {
            return run();
        } catch (IllegalArgumentException | java.io.IOException e) {
            System.err.println("stream-repeater apply: " + e.getMessage());
            return 1;
        }
    }

    private int run() throws Exception {
        String yaml = Files.readString(file);
        HttpResponse<String> r = new ApiClient(server, token).send("POST", "/api/v1/config", yaml, "application/yaml");
        if (r.statusCode() / 100 != 2) {
            System.err.println("stream-repeater apply: " + file + ": refused (" + r.statusCode() + "): " + r.body());
            return 1;
        }
        System.out.println(r.body());
        return 0;
    }
}
