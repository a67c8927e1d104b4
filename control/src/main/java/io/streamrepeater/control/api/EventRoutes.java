package io.streamrepeater.control.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.sse.SseClient;
import io.streamrepeater.status.ChannelEvent;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/events}: the channels' events as server-sent events, each with its sequence number as the event
 * id, so a client that reconnects with {@code Last-Event-ID} gets what it missed from the in-memory history first.
 */
final class EventRoutes {
    // logs under the API server's name, as before the split: operators' log filters select that logger
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final ControlPort port;
    private final ObjectMapper json;

    EventRoutes(ControlPort port, ObjectMapper json) {
        this.port = port;
        this.json = json;
    }

    void register(Javalin app) {
        app.sse("/api/v1/events", this::events);
    }

    /** Server-sent events: replays history after Last-Event-ID, then streams new events. */
    private void events(SseClient client) {
        client.keepAlive();
        long after = 0;
        String last = client.ctx().header("Last-Event-ID");
        if (last != null) {
            try {
                after = Long.parseLong(last.trim());
            } catch (NumberFormatException ignored) {
                // an id we did not issue: replay nothing
                after = Long.MAX_VALUE;
            }
        }
        long[] sent = {after};
        Consumer<ChannelEvent> listener = e -> send(client, e, sent);
        port.subscribe(listener);
        client.onClose(() -> port.unsubscribe(listener));
        for (ChannelEvent e : port.eventsSince(after == Long.MAX_VALUE ? Long.MAX_VALUE : after)) {
            send(client, e, sent);
        }
    }

    private void send(SseClient client, ChannelEvent e, long[] sent) {
        synchronized (sent) {
            if (e.sequence() <= sent[0]) {
                return; // already sent (history and live listener can overlap)
            }
            sent[0] = e.sequence();
        }
        try {
            client.sendEvent(
                    e.type().name().toLowerCase(Locale.ROOT), json.writeValueAsString(e), Long.toString(e.sequence()));
        } catch (JsonProcessingException ex) {
            LOG.error("event=sse-error error=\"{}\"", ex.toString());
        }
    }
}
