package io.streamrepeater.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.sse.SseClient;
import io.javalin.json.JavalinJackson;
import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.control.config.ConfigException;
import io.streamrepeater.control.config.ConfigLoader;
import io.streamrepeater.control.config.ConfigWriter;
import io.streamrepeater.control.config.DestinationConfig;
import io.streamrepeater.control.config.FailoverConfig;
import io.streamrepeater.control.config.FirstRun;
import io.streamrepeater.control.config.InputConfig;
import io.streamrepeater.control.config.StreamRepeaterConfig;
import io.streamrepeater.control.web.DashboardAssets;
import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelStatus;
import io.streamrepeater.status.DestinationMode;
import io.streamrepeater.status.InputStatus;
import io.streamrepeater.status.RehearsalReport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API under {@code /api/v1} (bearer admin token), plus {@code /healthz} and {@code /metrics}
 * without a token, and the dashboard's static assets at {@code /} ({@link DashboardAssets}). JSON in and out; errors are {@code {"error": "..."}} with a status that fits.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    static final long MAX_REHEARSAL_SECONDS = 600;

    private final ControlPort port;
    private final ApiRequests requests;
    private final Supplier<String> metrics;
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    /** The largest request body the API reads: a configuration of many channels fits many times over. */
    static final int MAX_BODY_BYTES = 1_000_000;

    private final Map<String, Rehearsal> rehearsals = new ConcurrentHashMap<>();

    private final Javalin app;
    private final java.security.SecureRandom random = new java.security.SecureRandom();

    private record Rehearsal(
            String id, String channel, long durationSeconds, CompletableFuture<RehearsalReport> result) {}

    /**
     * @param tokenCheck says whether a presented admin token is the right one (in constant time)
     * @param metrics renders the Prometheus text exposition for {@code GET /metrics}
     */
    public ApiServer(ControlPort port, java.util.function.Predicate<String> tokenCheck, Supplier<String> metrics) {
        this.port = port;
        this.metrics = metrics;
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.jsonMapper(new JavalinJackson(json, false));
            cfg.useVirtualThreads = false;
            cfg.staticFiles.add(DashboardAssets::configure);
            // the body limit holds while the body is read, chunked or not (Javalin's own check trusts Content-Length)
            cfg.jetty.modifyServletContextHandler(handler -> handler.addFilter(
                    new org.eclipse.jetty.servlet.FilterHolder(new BodyLimitFilter(MAX_BODY_BYTES)),
                    "/api/*",
                    java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST)));
        });
        this.requests = new ApiRequests(port, json);
        routes(tokenCheck);
    }

    /** Starts listening; returns the bound port (useful with 0). */
    public int start(String host, int httpPort) {
        app.start(host, httpPort);
        int bound = app.port();
        LOG.info("event=http-listening port={}", bound);
        return bound;
    }

    private void routes(java.util.function.Predicate<String> tokenCheck) {
        app.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
        app.get("/readyz", ctx -> {
            boolean ready = port.ready();
            ctx.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                    .json(Map.of("status", ready ? "ready" : "not ready"));
        });
        app.get(
                "/metrics",
                ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                        .result(metrics.get()));
        app.before("/api/*", new ApiAuth(tokenCheck));
        app.get("/api/v1/channels", ctx -> ctx.json(port.channels()));
        app.get("/api/v1/channels/{channel}", ctx -> ctx.json(requests.channel(ctx)));
        app.post("/api/v1/channels/{channel}/switch", this::switchInput);
        app.post("/api/v1/channels/{channel}/rehearsals", this::startRehearsal);
        app.get("/api/v1/channels/{channel}/rehearsals/{id}", this::rehearsal);
        app.post("/api/v1/channels", ctx -> putChannel(ctx, null));
        app.put("/api/v1/channels/{channel}", ctx -> putChannel(ctx, ctx.pathParam("channel")));
        app.delete("/api/v1/channels/{channel}", this::deleteChannel);
        app.get("/api/v1/channels/{channel}/config", ctx -> ctx.json(maskedChannel(requests.channelConfig(ctx))));
        app.post("/api/v1/channels/{channel}/inputs", this::addInput);
        app.delete("/api/v1/channels/{channel}/inputs/{input}", this::removeInput);
        app.post("/api/v1/channels/{channel}/inputs/{input}/key", this::rotateKey);
        app.get("/api/v1/channels/{channel}/inputs/{input}/ingest", this::revealIngest);
        app.get("/api/v1/channels/{channel}/inputs/{input}/thumbnail.jpg", this::thumbnail);
        app.get("/api/v1/config", this::exportConfig);
        app.get("/api/v1/diagnostics/relay-latency", ctx -> ctx.json(port.relayLatency()));
        app.delete("/api/v1/diagnostics/relay-latency", ctx -> {
            port.resetRelayLatency();
            ctx.status(204);
        });
        app.post("/api/v1/config", this::applyConfig);
        app.get(
                "/api/v1/openapi.json",
                ctx -> ctx.contentType("application/json").result(openApi()));
        app.post("/api/v1/channels/{channel}/destinations", this::addDestination);
        app.delete("/api/v1/channels/{channel}/destinations/{destination}", this::removeDestination);
        app.patch("/api/v1/channels/{channel}/destinations/{destination}", this::patchDestination);
        app.sse("/api/v1/events", this::events);
        app.exception(HttpResponseException.class, (e, ctx) -> {
            ctx.status(e.getStatus()).json(Map.of("error", e.getMessage()));
        });
        app.exception(
                IllegalArgumentException.class,
                (e, ctx) -> ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", e.getMessage())));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("event=api-error method={} path={} error=\"{}\"", ctx.method(), ctx.path(), e.toString(), e);
            ctx.status(HttpStatus.INTERNAL_SERVER_ERROR)
                    .json(Map.of("error", "internal error: " + e.getClass().getSimpleName()));
        });
    }

    /** A channel's configuration as JSON with every secret masked. */
    static Map<String, Object> maskedChannel(ChannelConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put(
                "inputs",
                c.inputs().stream()
                        .map(i -> {
                            Map<String, Object> im = new LinkedHashMap<>();
                            im.put("name", i.name());
                            im.put("key", "****");
                            im.put("allowTakeover", i.allowTakeover());
                            if (i.srtPassphrase() != null) {
                                im.put("srtPassphrase", "****"); // says that SRT publishes to it must be encrypted
                            }
                            return im;
                        })
                        .toList());
        FailoverConfig f = c.failover();
        Map<String, Object> failover = new LinkedHashMap<>(Map.of(
                "inputLossMs",
                f.inputLossMs(),
                "failback",
                f.failback().yamlName(),
                "clearMs",
                f.clearMs(),
                "start",
                f.start().yamlName(),
                "timeline",
                f.timeline().yamlName()));
        if (f.lowBitrate() != null) {
            failover.put(
                    "lowBitrate",
                    Map.of(
                            "belowKbps",
                            f.lowBitrate().belowKbps(),
                            "forMs",
                            f.lowBitrate().forMs()));
        }
        m.put("failover", failover);
        if (c.slate() != null) {
            m.put("slate", c.slate());
        }
        m.put(
                "relay",
                Map.of(
                        "retryMaxMs",
                        c.relay().retryMaxMs(),
                        "stallTimeoutMs",
                        c.relay().stallTimeoutMs()));
        m.put(
                "destinations",
                c.destinations().stream()
                        .map(d -> {
                            Map<String, Object> dm = new LinkedHashMap<>();
                            dm.put("name", d.name());
                            dm.put("url", d.maskedUrl());
                            dm.put("enabled", d.enabled());
                            if (d.backupUrl() != null) {
                                dm.put("backupUrl", d.maskedBackupUrl());
                                dm.put("mode", d.mode().yamlName());
                            }
                            return dm;
                        })
                        .toList());
        m.put(
                "webhooks",
                c.webhooks().stream()
                        .map(w -> Map.of("url", w.maskedUrl(), "secret", "****"))
                        .toList());
        return m;
    }

    private ChannelConfig parseChannel(Context ctx) {
        try {
            return ConfigLoader.parseChannel(ctx.body().isBlank() ? "{}" : ctx.body(), "request body");
        } catch (ConfigException e) {
            throw new BadRequestResponse(e.getMessage());
        }
    }

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
        ctx.status(exists ? HttpStatus.OK : HttpStatus.CREATED).json(maskedChannel(c));
    }

    private void deleteChannel(Context ctx) {
        String name = ctx.pathParam("channel");
        if (!port.deleteChannel(name)) {
            throw new NotFoundResponse("no channel '" + name + "'");
        }
        ctx.status(HttpStatus.NO_CONTENT);
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
        java.util.List<InputConfig> inputs = new java.util.ArrayList<>(c.inputs());
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
        java.util.List<InputConfig> inputs = new java.util.ArrayList<>(c.inputs());
        if (!inputs.removeIf(i -> i.name().equals(name))) {
            throw new NotFoundResponse("channel " + c.name() + " has no input '" + name + "'");
        }
        if (inputs.isEmpty()) {
            throw new ConflictResponse("channel " + c.name() + " must keep at least one input");
        }
        port.applyChannel(c.withInputs(inputs));
        ctx.status(HttpStatus.NO_CONTENT);
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
        Map<String, Object> body = new java.util.LinkedHashMap<>();
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

    /** Gives an input a new random key; the old key stops working for new publishes (a live encoder stays). */
    private void rotateKey(Context ctx) {
        ChannelConfig c = requests.channelConfig(ctx);
        String name = ctx.pathParam("input");
        String key = FirstRun.newStreamKey(random);
        boolean found = false;
        java.util.List<InputConfig> inputs = new java.util.ArrayList<>();
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

    private void exportConfig(Context ctx) {
        boolean secrets = "true".equals(ctx.queryParam("secrets"));
        ctx.contentType("application/yaml; charset=utf-8")
                .result(ConfigWriter.toYaml(
                        port.currentConfig(), secrets ? ConfigWriter.Secrets.INCLUDE : ConfigWriter.Secrets.MASK));
    }

    /** Applies every channel of a YAML document (the server section is not changed at run time). */
    private void applyConfig(Context ctx) {
        StreamRepeaterConfig doc;
        try {
            doc = ConfigLoader.parse(ctx.body(), "request body");
        } catch (ConfigException e) {
            throw new BadRequestResponse(e.getMessage());
        }
        java.util.List<String> applied = new java.util.ArrayList<>();
        for (ChannelConfig c : doc.channels()) {
            try {
                port.applyChannel(c);
            } catch (IllegalArgumentException e) {
                throw new ConflictResponse(
                        "channel " + c.name() + ": " + e.getMessage() + " (applied before it: " + applied + ")");
            }
            applied.add(c.name());
        }
        ctx.json(Map.of("applied", applied));
    }

    private static String openApi() {
        try (java.io.InputStream in = ApiServer.class.getResourceAsStream("/openapi.json")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException | NullPointerException e) {
            throw new IllegalStateException("openapi.json is missing from the build", e);
        }
    }

    private void switchInput(Context ctx) throws Exception {
        ChannelStatus ch = requests.channel(ctx);
        String input = ApiRequests.requiredText(requests.body(ctx), "input");
        try {
            port.switchInput(ch.name(), input).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new ConflictResponse(e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new HttpResponseException(
                    HttpStatus.SERVICE_UNAVAILABLE.getCode(), "the channel did not answer in time");
        }
        ctx.json(Map.of("channel", ch.name(), "input", input, "status", "switching"));
    }

    private void startRehearsal(Context ctx) {
        ChannelStatus ch = requests.channel(ctx);
        JsonNode body = requests.body(ctx);
        JsonNode d = body.get("durationSeconds");
        if (d == null || !d.canConvertToLong() || d.asLong() < 1 || d.asLong() > MAX_REHEARSAL_SECONDS) {
            throw new BadRequestResponse(
                    "field 'durationSeconds' must be a whole number from 1 to " + MAX_REHEARSAL_SECONDS);
        }
        for (Rehearsal running : rehearsals.values()) {
            if (running.channel().equals(ch.name()) && !running.result().isDone()) {
                throw new ConflictResponse("a rehearsal is already running on channel " + ch.name()
                        + " (GET /api/v1/channels/" + ch.name() + "/rehearsals/" + running.id() + ")");
            }
        }
        if (ch.activeInput() == null || "slate".equals(ch.activeInput())) {
            throw new ConflictResponse("channel " + ch.name() + " has no active input to fail: a rehearsal needs an"
                    + " encoder feeding the destinations");
        }
        String id = UUID.randomUUID().toString();
        CompletableFuture<RehearsalReport> result = port.rehearse(ch.name(), Duration.ofSeconds(d.asLong()));
        if (result.isCompletedExceptionally()) {
            try {
                result.join();
            } catch (CompletionException e) {
                throw new ConflictResponse(e.getCause().getMessage());
            }
        }
        rehearsals.put(id, new Rehearsal(id, ch.name(), d.asLong(), result));
        ctx.status(HttpStatus.ACCEPTED)
                .header("Location", "/api/v1/channels/" + ch.name() + "/rehearsals/" + id)
                .json(Map.of("id", id, "status", "running", "durationSeconds", d.asLong()));
    }

    private void rehearsal(Context ctx) {
        ChannelStatus ch = requests.channel(ctx);
        Rehearsal r = rehearsals.get(ctx.pathParam("id"));
        if (r == null || !r.channel().equals(ch.name())) {
            throw new NotFoundResponse("no rehearsal '" + ctx.pathParam("id") + "' on channel " + ch.name());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", r.id());
        out.put("durationSeconds", r.durationSeconds());
        if (!r.result().isDone()) {
            out.put("status", "running");
        } else if (r.result().isCompletedExceptionally()) {
            out.put("status", "failed");
            try {
                r.result().join();
            } catch (CompletionException e) {
                out.put("error", e.getCause().getMessage());
            }
        } else {
            RehearsalReport report = r.result().join();
            out.put("status", report.passed() ? "passed" : "failed");
            out.put("problems", report.problems());
            out.put("report", report);
        }
        ctx.json(out);
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
        if (ch.destinations().stream()
                .anyMatch(d -> d.name().equals(name) || d.name().startsWith(name + "/"))) {
            throw new ConflictResponse("channel " + ch.name() + " already has a destination '" + name + "'");
        }
        DestinationConfig dc;
        try {
            dc = new DestinationConfig(name, url, enabled, backupUrl, mode);
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
                    e.type().name().toLowerCase(java.util.Locale.ROOT),
                    json.writeValueAsString(e),
                    Long.toString(e.sequence()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            LOG.error("event=sse-error error=\"{}\"", ex.toString());
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
