package io.streamrepeater.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.http.HttpResponse;
import java.util.concurrent.Callable;

/** {@code stream-repeater export}: prints a running server's configuration as YAML. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Print the configuration in force as YAML (stream keys and destination keys masked unless --show-secrets).")
public final class ExportCommand implements Callable<Integer> {
    @Option(names = "--server", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "The server's HTTP address (default: ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Admin token (default: $STREAM_REPEATER_TOKEN).")
    String token;

    @Option(names = "--show-secrets", description = "Include stream keys and destination URLs unmasked.")
    boolean showSecrets;

    @Override
    public Integer call() throws Exception {
        try {
            return run();
        } catch (IllegalArgumentException | java.io.IOException e) {
            System.err.println("stream-repeater export: " + e.getMessage());
            return 1;
        }
    }

    private int run() throws Exception {
        HttpResponse<String> r = new ApiClient(server, token).send("GET", "/api/v1/config" + (showSecrets ? "?secrets=true" : ""), null, null);
        if (r.statusCode() / 100 != 2) {
            System.err.println("stream-repeater export: refused (" + r.statusCode() + "): " + r.body());
            return 1;
        }
        System.out.print(r.body());
        return 0;
    }
}
