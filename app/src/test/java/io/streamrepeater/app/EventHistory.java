package io.streamrepeater.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads a server's event history from {@code GET /api/v1/events} (server-sent events, replayed from the first). */
final class EventHistory {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventHistory() {}

    /**
     * The events the server at {@code base} (e.g. {@code http://127.0.0.1:8080}) holds, each as its JSON; the stream
     * stays open, so it is read for at most 1.5 s after the last line.
     */
    static List<JsonNode> read(String base, String token) throws IOException {
        HttpURLConnection c =
                (HttpURLConnection) URI.create(base + "/api/v1/events").toURL().openConnection();
        c.setRequestProperty("Authorization", "Bearer " + token);
        c.setRequestProperty("Accept", "text/event-stream");
        c.setRequestProperty("Last-Event-ID", "0");
        c.setConnectTimeout(5_000);
        c.setReadTimeout(1_500);
        List<JsonNode> events = new ArrayList<>();
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
            for (int lines = 0; lines < 100_000; lines++) {
                String line = in.readLine();
                if (line == null) {
                    break;
                }
                if (line.startsWith("data:")) {
                    events.add(JSON.readTree(line.substring(5)));
                }
            }
        } catch (SocketTimeoutException endOfHistory) {
            // nothing more within the read timeout: the history has been sent
        } finally {
            c.disconnect();
        }
        return events;
    }
}
