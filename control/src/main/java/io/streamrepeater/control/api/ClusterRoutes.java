package io.streamrepeater.control.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.ServiceUnavailableResponse;
import java.util.Map;

/**
 * {@code /api/v1/cluster}: the nodes of the cluster, which node holds each channel. A server that runs alone (no
 * {@code server.cluster} in its configuration) answers 404 with a sentence that says so.
 */
final class ClusterRoutes {
    static final String NOT_CLUSTERED =
            "this server runs alone: its configuration has no server.cluster block (see the README, Running two or"
                    + " more nodes)";

    private final ControlPort port;

    ClusterRoutes(ControlPort port) {
        this.port = port;
    }

    void register(Javalin app) {
        app.get("/api/v1/cluster", ctx -> {
            try {
                ctx.status(HttpStatus.OK).json(port.cluster().orElseThrow(() -> new NotFoundResponse(NOT_CLUSTERED)));
            } catch (IllegalStateException storeDown) {
                throw new ServiceUnavailableResponse(storeDown.getMessage());
            }
        });
        app.post("/api/v1/cluster/nodes/{node}/drain", ctx -> drain(ctx, true));
        app.post("/api/v1/cluster/nodes/{node}/undrain", ctx -> drain(ctx, false));
    }

    private void drain(Context ctx, boolean draining) {
        String node = ctx.pathParam("node");
        boolean known;
        try {
            known = port.setDraining(node, draining).orElseThrow(() -> new NotFoundResponse(NOT_CLUSTERED));
        } catch (IllegalStateException storeDown) {
            throw new ServiceUnavailableResponse(storeDown.getMessage());
        }
        if (!known) {
            throw new NotFoundResponse("no node named '" + node + "' has joined the cluster");
        }
        ctx.json(Map.of("node", node, "draining", draining));
    }
}
