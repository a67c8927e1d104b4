package io.streamrepeater.control.api;

import io.javalin.Javalin;

/**
 * {@code /api/v1/diagnostics}: the relay's added latency since start or the last reset, and the reset (a benchmark
 * starts its measurement window with it).
 */
final class DiagnosticsRoutes {
    private final ControlPort port;

    DiagnosticsRoutes(ControlPort port) {
        this.port = port;
    }

    void register(Javalin app) {
        app.get("/api/v1/diagnostics/relay-latency", ctx -> ctx.json(port.relayLatency()));
        app.delete("/api/v1/diagnostics/relay-latency", ctx -> {
            port.resetRelayLatency();
            ctx.status(204);
        });
    }
}
