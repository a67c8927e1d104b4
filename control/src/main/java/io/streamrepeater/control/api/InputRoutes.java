package io.streamrepeater.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.control.config.FirstRun;
import io.streamrepeater.control.config.InputConfig;
import io.streamrepeater.status.ChannelStatus;
import io.streamrepeater.status.InputStatus;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel's inputs: adding one (with a generated key shown once, or the caller's), removing one, giving one a new
 * key, revealing an input's ingest URLs and key to the operator who asks, and the latest picture of an input.
 */
final class InputRoutes {
    // logs under the API server's name, as before the split: operators' log filters select that logger
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final ControlPort port;
    private final ApiRequests requests;
    private final SecureRandom random = new SecureRandom();

    InputRoutes(ControlPort port, ApiRequests requests) {
        this.port = port;
        this.requests = requests;
    }

    void register(Javalin app) {
        app.post("/api/v1/channels/{channel}/inputs", this::addInput);
        app.delete("/api/v1/channels/{channel}/inputs/{input}", this::removeInput);
        app.post("/api/v1/channels/{channel}/inputs/{input}/key", this::rotateKey);
        app.get("/api/v1/channels/{channel}/inputs/{input}/ingest", this::revealIngest);
        app.get("/api/v1/channels/{channel}/inputs/{input}/thumbnail.jpg", this::thumbnail);
    }

    private void addInput(Context ctx) {
        ChannelConfig c = requests.channelConfig(ctx);
        JsonNode body = requests.body(ctx);
        String name = ApiRequests.requiredText(body, "name");
        boolean generated = !body.hasNonNull("key");
        String key = generated ? FirstRun.newStreamKey(random) : ApiRequests.requiredText(body, "key");
        if (!generated) {
            try {
                InputConfig.requireNewKey(name, key);
            } catch (IllegalArgumentException e) {
                throw new BadRequestResponse(e.getMessage());
            }
        }
        boolean takeover =
                !body.has("allowTakeover") || body.get("allowTakeover").asBoolean(true);
        String srtPassphrase =
                body.hasNonNull("srtPassphrase") ? ApiRequests.requiredText(body, "srtPassphrase") : null;
        if (c.inputs().stream().anyMatch(i -> i.name().equals(name))) {
            throw new ConflictResponse("channel " + c.name() + " already has an input '" + name + "'");
        }
        List<InputConfig> inputs = new ArrayList<>(c.inputs());
        try {
            inputs.add(new InputConfig(name, key, takeover, srtPassphrase));
            port.applyChannel(c.withInputs(inputs));
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse(e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("channel", c.name());
        out.put("input", name);
        out.put("priority", inputs.size() - 1);
        if (generated) {
            out.put("key", key); // shown once: the API never returns keys afterwards
        }
        ctx.status(HttpStatus.CREATED).json(out);
    }

    private void removeInput(Context ctx) {
        ChannelConfig c = requests.channelConfig(ctx);
        String name = ctx.pathParam("input");
        List<InputConfig> inputs = new ArrayList<>(c.inputs());
        if (!inputs.removeIf(i -> i.name().equals(name))) {
            throw new NotFoundResponse("channel " + c.name() + " has no input '" + name + "'");
        }
        if (inputs.isEmpty()) {
            throw new ConflictResponse("channel " + c.name() + " must keep at least one input");
        }
        port.applyChannel(c.withInputs(inputs));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    /** Gives an input a new random key; the old key stops working for new publishes (a live encoder stays). */
    private void rotateKey(Context ctx) {
        ChannelConfig c = requests.channelConfig(ctx);
        String name = ctx.pathParam("input");
        String key = FirstRun.newStreamKey(random);
        boolean found = false;
        List<InputConfig> inputs = new ArrayList<>();
        for (InputConfig i : c.inputs()) {
            if (i.name().equals(name)) {
                inputs.add(new InputConfig(i.name(), key, i.allowTakeover(), i.srtPassphrase()));
                found = true;
            } else {
                inputs.add(i);
            }
        }
        if (!found) {
            throw new NotFoundResponse("channel " + c.name() + " has no input '" + name + "'");
        }
        port.applyChannel(c.withInputs(inputs));
        LOG.info("event=input-key-rotated channel={} input={}", c.name(), name);
        ctx.json(Map.of("channel", c.name(), "input", name, "key", key));
    }

    /**
     * The ingest URL and stream key of an input, for the operator who asks for it (the dashboard's
     * "show" button). Keys are never part of ordinary reads; each reveal is logged (without the key).
     */
    private void revealIngest(Context ctx) {
        ChannelConfig c = requests.channelConfig(ctx);
        String input = ctx.pathParam("input");
        String key = port.inputKey(c.name(), input)
                .orElseThrow(() -> new NotFoundResponse("channel " + c.name() + " has no input '" + input + "'"));
        int rtmp = port.rtmpPort();
        int rtmps = port.rtmpsPort();
        int srt = port.srtPort();
        if (rtmp <= 0 && rtmps <= 0 && srt <= 0) {
            throw new ConflictResponse("ingest is disabled on this server (rtmpPort 0, no rtmpsPort, no SRT listener)");
        }
        String host = ctx.host() == null ? "HOST" : ctx.host().replaceFirst(":\\d+$", "");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channel", c.name());
        body.put("input", input);
        if (rtmp > 0 || rtmps > 0) {
            String server =
                    rtmp > 0 ? "rtmp://" + host + ":" + rtmp + "/live" : "rtmps://" + host + ":" + rtmps + "/live";
            body.put("server", server);
            body.put("url", server + "/" + key);
        }
        body.put("key", key);
        if (rtmps > 0) {
            // The same input over TLS, for encoders on networks the operator does not trust.
            body.put("rtmpsUrl", "rtmps://" + host + ":" + rtmps + "/live/" + key);
        }
        if (srt > 0) {
            // SRT callers (bonded cellular units, ffmpeg) take the key as the streamid and an MPEG-TS payload
            String passphrase = c.inputs().stream()
                    .filter(i -> i.name().equals(input))
                    .findFirst()
                    .map(InputConfig::srtPassphrase)
                    .orElse(null);
            body.put(
                    "srtUrl",
                    "srt://" + host + ":" + srt + "?streamid=" + key
                            + (passphrase == null ? "" : "&passphrase=" + passphrase));
            if (passphrase != null) {
                body.put("srtPassphrase", passphrase);
            }
        }
        LOG.info("event=ingest-key-revealed channel={} input={} remote={}", c.name(), input, ctx.ip());
        ctx.header("Cache-Control", "no-store").json(body);
    }

    private void thumbnail(Context ctx) {
        String channel = ctx.pathParam("channel");
        String input = ctx.pathParam("input");
        byte[] jpeg = port.thumbnail(channel, input).orElseThrow(() -> new NotFoundResponse(noPicture(ctx, input)));
        ctx.header("Cache-Control", "no-store").contentType("image/jpeg").result(jpeg);
    }

    /** Why there is no picture of an input: it is not live, pictures are off, or the first one is on its way. */
    private String noPicture(Context ctx, String input) {
        ChannelStatus ch = requests.channel(ctx);
        InputStatus in = ch.inputs().stream()
                .filter(i -> i.name().equals(input))
                .findFirst()
                .orElseThrow(() -> new NotFoundResponse("channel " + ch.name() + " has no input '" + input + "'"));
        if (in.remoteAddress() == null) {
            return "no picture of " + ch.name() + "/" + input + ": no encoder is connected to it";
        }
        if (Boolean.FALSE.equals(port.thumbnailsAvailable())) {
            return "no pictures on this server: ffmpeg is not on its PATH (install ffmpeg to see input pictures)";
        }
        return "no picture of " + ch.name() + "/" + input + " yet: the first one is taken within a few seconds of"
                + " being asked for; ask again";
    }
}
