package io.streamrepeater.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.streamrepeater.status.ChannelStatus;
import io.streamrepeater.status.RehearsalReport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Moving a live channel from one input to another: the operator's switch, and the rehearsal, which fails the active
 * input for a while (a real switch) and is then read back as a report of what the destinations received. Running and
 * finished rehearsals are kept in memory for as long as the server runs.
 */
final class SwitchRoutes {
    static final long MAX_REHEARSAL_SECONDS = 600;

    private final ControlPort port;
    private final ApiRequests requests;
    private final Map<String, Rehearsal> rehearsals = new ConcurrentHashMap<>();

    private record Rehearsal(
            String id, String channel, long durationSeconds, CompletableFuture<RehearsalReport> result) {}

    SwitchRoutes(ControlPort port, ApiRequests requests) {
        this.port = port;
        this.requests = requests;
    }

    void register(Javalin app) {
        app.post("/api/v1/channels/{channel}/switch", this::switchInput);
        app.post("/api/v1/channels/{channel}/rehearsals", this::startRehearsal);
        app.get("/api/v1/channels/{channel}/rehearsals/{id}", this::rehearsal);
    }

    private void switchInput(Context ctx) throws Exception {
        ChannelStatus ch = requests.channel(ctx);
        String input = ApiRequests.requiredText(requests.body(ctx), "input");
        try {
            port.switchInput(ch.name(), input).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
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
}
