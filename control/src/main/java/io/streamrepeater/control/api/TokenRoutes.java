package io.streamrepeater.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.streamrepeater.control.store.ApiRole;
import io.streamrepeater.control.store.ApiToken;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The audit of state-changing calls ({@code GET /api/v1/audit?limit=N}, the latest N, oldest first), and API tokens
 * with a role ({@link ApiRole}): created (the token is in that answer only), listed (never a token),
 * revoked; and {@code GET /api/v1/whoami}, the name and role of the token a request carries (the dashboard shows
 * only what that role may do).
 */
final class TokenRoutes {
    private final ControlPort port;
    private final ApiRequests requests;

    TokenRoutes(ControlPort port, ApiRequests requests) {
        this.port = port;
        this.requests = requests;
    }

    void register(Javalin app) {
        app.get("/api/v1/whoami", ctx -> {
            Principal who = ctx.attribute(ApiAuth.PRINCIPAL);
            ctx.json(Map.of("name", who.name(), "role", who.role().label()));
        });
        app.get(
                "/api/v1/tokens",
                ctx -> ctx.json(
                        port.apiTokens().stream().map(TokenRoutes::listed).toList()));
        app.post("/api/v1/tokens", this::create);
        app.get("/api/v1/audit", ctx -> {
            int limit = ctx.queryParam("limit") == null ? 100 : Integer.parseInt(ctx.queryParam("limit"));
            if (limit < 1 || limit > 1000) {
                throw new IllegalArgumentException("limit must be 1..1000, got " + limit);
            }
            ctx.json(port.auditLog(limit).stream()
                    .map(e -> {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("at", e.at().toString());
                        row.put("token", e.token());
                        row.put("role", e.role().label());
                        row.put("method", e.method());
                        row.put("path", e.path());
                        row.put("status", e.status());
                        row.put("remote", e.remote());
                        return row;
                    })
                    .toList());
        });
        app.delete("/api/v1/tokens/{name}", ctx -> {
            if (!port.revokeApiToken(ctx.pathParam("name"))) {
                throw new NotFoundResponse("no API token named '" + ctx.pathParam("name") + "'");
            }
            ctx.status(HttpStatus.NO_CONTENT);
        });
    }

    private void create(Context ctx) {
        JsonNode body = requests.body(ctx);
        String name = ApiRequests.requiredText(body, "name");
        ApiRole role = ApiRole.of(ApiRequests.requiredText(body, "role"));
        ApiToken.requireName(name);
        if (port.apiTokens().stream().anyMatch(t -> t.name().equals(name))) {
            throw new ConflictResponse(
                    "an API token named '" + name + "' exists; revoke it first or choose another name");
        }
        ApiToken.Issued issued = port.createApiToken(name, role);
        Map<String, Object> answer = new LinkedHashMap<>(listed(issued.stored()));
        answer.put("token", issued.token());
        ctx.status(HttpStatus.CREATED).json(answer);
    }

    private static Map<String, Object> listed(ApiToken t) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", t.name());
        row.put("role", t.role().label());
        row.put("createdAt", t.createdAt().toString());
        return row;
    }
}
