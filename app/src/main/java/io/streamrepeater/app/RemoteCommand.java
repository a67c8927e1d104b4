package io.streamrepeater.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Mixin;

import java.net.http.HttpResponse;
import java.util.concurrent.Callable;

/** Base of the CLI commands that talk to a running server: errors become one line and exit code 1. */
abstract class RemoteCommand implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    RemoteOptions remote;

    @Override
    public final Integer call() throws Exception {
        try {
            return run(remote.client());
        } catch (IllegalArgumentException | java.io.IOException e) {
            System.err.println("stream-repeater: " + e.getMessage());
            return 1;
        }
    }

    abstract int run(ApiClient api) throws Exception;

    /** The body as JSON when the call succeeded; otherwise prints the server's error and returns null. */
    static JsonNode ok(HttpResponse<String> r) throws java.io.IOException {
        if (r.statusCode() / 100 != 2) {
            String message = r.body();
            try {
                JsonNode err = JSON.readTree(r.body());
                if (err.hasNonNull("error")) {
                    message = err.get("error").asText();
                }
            } catch (java.io.IOException notJson) {
                // print the body as it is
            }
            System.err.println("stream-repeater: refused (" + r.statusCode() + "): " + message);
            return null;
        }
        return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }
}
