package io.streamrepeater.app;

import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where a CLI command finds the running server, how it signs in, and how long it waits. */
final class RemoteOptions {
    static final String SERVER_ENV = "STREAM_REPEATER_SERVER";

    static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

    @Option(
            names = "--server",
            paramLabel = "URL",
            description = "The server's HTTP address (the dashboard's), http:// assumed when no scheme is given"
                    + " (default: $" + SERVER_ENV + ", else http://127.0.0.1:8080).")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Admin token (default: $STREAM_REPEATER_TOKEN).")
    String token;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "How long to wait to connect, and for each answer (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    ApiClient client() {
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 second, got " + timeoutSeconds);
        }
        return new ApiClient(
                server != null ? server : defaultServer(System.getenv()), token, Duration.ofSeconds(timeoutSeconds));
    }

    /** The server address when {@code --server} is not given: {@code $STREAM_REPEATER_SERVER}, else the local one. */
    static String defaultServer(Map<String, String> environment) {
        String fromEnvironment = environment.get(SERVER_ENV);
        return fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment : DEFAULT_SERVER;
    }
}
