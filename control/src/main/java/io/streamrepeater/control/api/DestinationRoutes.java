package io.streamrepeater.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.streamrepeater.control.config.DestinationConfig;
import io.streamrepeater.status.ChannelStatus;
import io.streamrepeater.status.DestinationMode;
import java.util.Map;

/** A channel's destinations: adding one to the live channel, removing one, and enabling or disabling one. */
final class DestinationRoutes {
    private final ControlPort port;
    private final ApiRequests requests;

    DestinationRoutes(ControlPort port, ApiRequests requests) {
        this.port = port;
        this.requests = requests;
    }

    void register(Javalin app) {
        app.post("/api/v1/channels/{channel}/destinations", this::addDestination);
        app.delete("/api/v1/channels/{channel}/destinations/{destination}", this::removeDestination);
        app.patch("/api/v1/channels/{channel}/destinations/{destination}", this::patchDestination);
    }

    private void addDestination(Context ctx) {
        ChannelStatus ch = requests.channel(ctx);
        JsonNode body = requests.body(ctx);
        String name = ApiRequests.requiredText(body, "name");
        String url = ApiRequests.requiredText(body, "url");
        String backupUrl = body.hasNonNull("backupUrl") ? body.get("backupUrl").asText() : null;
        DestinationMode mode = null;
        if (body.hasNonNull("mode")) {
            mode = switch (body.get("mode").asText()) {
                case "both" -> DestinationMode.BOTH;
                case "fallback" -> DestinationMode.FALLBACK;
                default -> throw new BadRequestResponse("field 'mode' must be 'both' or 'fallback'");
            };
        }
        boolean enabled = !body.has("enabled") || body.get("enabled").asBoolean(true);
        io.streamrepeater.status.platform.Platform platform = null;
        if (body.hasNonNull("platform")) {
            platform = io.streamrepeater.status.platform.Platform.named(
                            body.get("platform").asText())
                    .orElseThrow(() -> new BadRequestResponse(
                            "field 'platform' must be one of " + io.streamrepeater.status.platform.Platform.names()));
        }
        if (ch.destinations().stream()
                .anyMatch(d -> d.name().equals(name) || d.name().startsWith(name + "/"))) {
            throw new ConflictResponse("channel " + ch.name() + " already has a destination '" + name + "'");
        }
        DestinationConfig dc;
        try {
            dc = new DestinationConfig(name, url, enabled, backupUrl, mode, platform);
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse(e.getMessage());
        }
        port.addDestination(ch.name(), dc);
        ctx.status(HttpStatus.CREATED).json(Map.of("channel", ch.name(), "destination", name, "url", dc.maskedUrl()));
    }

    private void removeDestination(Context ctx) {
        ChannelStatus ch = requests.channel(ctx);
        String name = ctx.pathParam("destination");
        if (!port.removeDestination(ch.name(), name)) {
            throw new NotFoundResponse("channel " + ch.name() + " has no destination '" + name + "'");
        }
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private void patchDestination(Context ctx) {
        ChannelStatus ch = requests.channel(ctx);
        String name = ctx.pathParam("destination");
        JsonNode body = requests.body(ctx);
        JsonNode enabled = body.get("enabled");
        if (enabled == null || !enabled.isBoolean()) {
            throw new BadRequestResponse("field 'enabled' is required and must be true or false");
        }
        if (!port.setDestinationEnabled(ch.name(), name, enabled.asBoolean())) {
            throw new NotFoundResponse("channel " + ch.name() + " has no destination '" + name + "'");
        }
        ctx.json(Map.of("channel", ch.name(), "destination", name, "enabled", enabled.asBoolean()));
    }
}
