package io.streamrepeater.control.api;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Plain HTTP beside HTTPS ({@code server.http: redirect}): the probes and the metrics are answered (what load
 * balancers and scrapers on the host's network read, no secret in them); the API is refused with 403 and the HTTPS
 * address to use (a client that followed a redirect would already have sent its token in clear); everything else, the
 * dashboard, is redirected to the same path over HTTPS (308). Requests that came over HTTPS pass.
 */
final class PlainHttpGate implements Handler {
    private static final Set<String> PLAIN_PATHS = Set.of("/healthz", "/readyz", "/metrics");

    private final IntSupplier httpsPort;

    /** @param httpsPort the bound HTTPS port, read per request (known once the server listens) */
    PlainHttpGate(IntSupplier httpsPort) {
        this.httpsPort = httpsPort;
    }

    @Override
    public void handle(Context ctx) {
        if (ctx.req().isSecure() || PLAIN_PATHS.contains(ctx.path())) {
            return;
        }
        String target = "https://" + hostOf(ctx) + ":" + httpsPort.getAsInt() + ctx.path()
                + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        if (ctx.path().startsWith("/api/")) {
            throw new HttpResponseException(
                    HttpStatus.FORBIDDEN.getCode(),
                    "the API is served over HTTPS only (server.http: redirect): use " + target);
        }
        ctx.redirect(target, HttpStatus.PERMANENT_REDIRECT);
        ctx.skipRemainingHandlers();
    }

    /** The host the client asked for, without its port; IPv6 literals keep their brackets. */
    private static String hostOf(Context ctx) {
        String host = ctx.host();
        if (host == null || host.isBlank()) {
            return ctx.req().getLocalAddr();
        }
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 0 ? host.substring(0, end + 1) : host;
        }
        int colon = host.lastIndexOf(':');
        return colon > 0 ? host.substring(0, colon) : host;
    }
}
