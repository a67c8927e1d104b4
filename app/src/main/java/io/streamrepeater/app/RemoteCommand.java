package io.streamrepeater.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** Base of the CLI commands that talk to a running server: errors become one line and exit code 1. */
abstract class RemoteCommand implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    RemoteOptions remote;

    @Override
    public final Integer call() throws Exception {
        try {
            return run(remote.client());
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("stream-repeater: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 1;
        }
    }

    abstract int run(ApiClient api) throws Exception;

    /** The body as JSON when the call succeeded; otherwise prints the server's error and returns null. */
    static JsonNode ok(HttpResponse<String> r) throws IOException {
        return ok(r.statusCode(), r.body());
    }

    /** As {@link #ok(HttpResponse)}, for an answer's status code and body. */
    static JsonNode ok(int statusCode, String body) throws IOException {
        if (statusCode / 100 != 2) {
            String message = body;
            try {
                JsonNode err = JSON.readTree(body);
                if (err.hasNonNull("error")) {
                    message = err.get("error").asText();
                }
            } catch (IOException notJson) {
                // print the body as it is
            }
            System.err.println("stream-repeater: refused (" + statusCode + "): " + message);
            return null;
        }
        return body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
    }
}
