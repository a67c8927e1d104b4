package io.streamrepeater.app;

import picocli.CommandLine.Option;

/** Where a CLI command finds the running server, and how it signs in. */
final class RemoteOptions {
    @Option(names = "--server", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "The server's HTTP address (default: ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Admin token (default: $STREAM_REPEATER_TOKEN).")
    String token;

    ApiClient client() {
        return new ApiClient(server, token);
    }
}
