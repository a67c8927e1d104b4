package io.streamrepeater.control.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.status.ChannelStatus;

/**
 * What the routes read from a request, read the same way by all of them: the channel named in the path (404 when
 * there is none), the JSON object in the body (400 when it is not one) and its required text fields (400 naming the
 * field). The errors are thrown as Javalin responses; {@link ApiServer} turns them into {@code {"error": "..."}}.
 */
final class ApiRequests {
    private final ControlPort port;
    private final ObjectMapper json;

    ApiRequests(ControlPort port, ObjectMapper json) {
        this.port = port;
        this.json = json;
    }

    /** The status of the channel in the path parameter {@code channel}. */
    ChannelStatus channel(Context ctx) {
        String name = ctx.pathParam("channel");
        return port.channel(name).orElseThrow(() -> new NotFoundResponse("no channel '" + name + "'"));
    }

    /** The configuration in force of the channel in the path parameter {@code channel} (secrets included). */
    ChannelConfig channelConfig(Context ctx) {
        String name = ctx.pathParam("channel");
        return port.currentConfig().channel(name).orElseThrow(() -> new NotFoundResponse("no channel '" + name + "'"));
    }

    /** The request body as a JSON object; an empty body is an empty object. */
    JsonNode body(Context ctx) {
        try {
            JsonNode node = json.readTree(ctx.body().isBlank() ? "{}" : ctx.body());
            if (!node.isObject()) {
                throw new BadRequestResponse("the request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new BadRequestResponse("the request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    static String requiredText(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new BadRequestResponse("field '" + field + "' is required and must be a non-empty string");
        }
        return v.asText();
    }
}
