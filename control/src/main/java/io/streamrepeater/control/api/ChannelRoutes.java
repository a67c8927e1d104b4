package io.streamrepeater.control.api;

import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.control.config.ConfigException;
import io.streamrepeater.control.config.ConfigLoader;
import io.streamrepeater.status.ChannelStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Channels as a whole: the list and one channel's live status, creating ({@code POST}), replacing ({@code PUT}) and
 * deleting a channel, and its configuration with the secrets masked.
 */
final class ChannelRoutes {
    // logs under the API server's name, as before the split: operators' log filters select that logger
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final ControlPort port;
    private final ApiRequests requests;

    ChannelRoutes(ControlPort port, ApiRequests requests) {
        this.port = port;
        this.requests = requests;
    }

    void register(Javalin app) {
        app.get("/api/v1/channels", ctx -> ctx.json(port.channels()));
        app.get("/api/v1/channels/{channel}", ctx -> ctx.json(requests.channel(ctx)));
        app.post("/api/v1/channels", ctx -> putChannel(ctx, null));
        app.put("/api/v1/channels/{channel}", ctx -> putChannel(ctx, ctx.pathParam("channel")));
        app.delete("/api/v1/channels/{channel}", this::deleteChannel);
        app.get("/api/v1/channels/{channel}/preview.flv", ctx -> preview(ctx, null));
        app.get("/api/v1/channels/{channel}/inputs/{input}/preview.flv", ctx -> preview(ctx, ctx.pathParam("input")));
        app.get(
                "/api/v1/channels/{channel}/config",
                ctx -> ctx.json(MaskedChannelConfig.of(requests.channelConfig(ctx))));
    }

    /**
     * The channel's output (or one input, {@code input} not null) as HTTP-FLV, streamed until the client leaves or is dropped for reading too slowly (its
     * feed is bounded; the destinations never wait for it). Answers 503 when the server's previews are all taken.
     */
    private void preview(Context ctx, String input) throws Exception {
        ChannelStatus ch = requests.channel(ctx);
        PreviewFeed feed;
        try {
            feed = port.openPreview(ch.name(), input, "true".equals(ctx.queryParam("endOnFormatChange")));
        } catch (java.util.NoSuchElementException missing) {
            throw new NotFoundResponse(missing.getMessage());
        } catch (IllegalStateException full) {
            throw new io.javalin.http.HttpResponseException(
                    io.javalin.http.HttpStatus.SERVICE_UNAVAILABLE.getCode(), full.getMessage());
        }
        jakarta.servlet.http.HttpServletResponse res = ctx.res();
        res.setStatus(200);
        res.setContentType("video/x-flv");
        res.setHeader("Cache-Control", "no-store");
        try (feed;
                java.io.OutputStream out = res.getOutputStream()) {
            for (byte[] bytes = feed.next(1_000); bytes != null; bytes = feed.next(1_000)) {
                if (bytes.length > 0) {
                    out.write(bytes);
                    out.flush();
                }
            }
        } catch (java.io.IOException clientLeft) {
            // the viewer closed the player, or the connection timed out writing to a reader that stopped reading
        }
    }

    /** Creates a channel ({@code pathName} null: POST) or creates or replaces the one in the path (PUT). */
    private void putChannel(Context ctx, String pathName) {
        ChannelConfig c = parseChannel(ctx);
        boolean exists = port.currentConfig().channel(c.name()).isPresent();
        if (pathName == null && exists) {
            throw new ConflictResponse(
                    "channel '" + c.name() + "' already exists; PUT /api/v1/channels/" + c.name() + " updates it");
        }
        if (pathName != null && !pathName.equals(c.name())) {
            throw new BadRequestResponse(
                    "field 'name' ('" + c.name() + "') must match the channel in the path ('" + pathName + "')");
        }
        try {
            port.applyChannel(c);
        } catch (IllegalArgumentException e) {
            throw new ConflictResponse(e.getMessage());
        }
        LOG.info("event=api-channel-applied channel={} created={}", c.name(), !exists);
        ctx.status(exists ? HttpStatus.OK : HttpStatus.CREATED).json(MaskedChannelConfig.of(c));
    }

    private ChannelConfig parseChannel(Context ctx) {
        try {
            return ConfigLoader.parseChannel(ctx.body().isBlank() ? "{}" : ctx.body(), "request body");
        } catch (ConfigException e) {
            throw new BadRequestResponse(e.getMessage());
        }
    }

    private void deleteChannel(Context ctx) {
        String name = ctx.pathParam("channel");
        if (!port.deleteChannel(name)) {
            throw new NotFoundResponse("no channel '" + name + "'");
        }
        ctx.status(HttpStatus.NO_CONTENT);
    }
}
