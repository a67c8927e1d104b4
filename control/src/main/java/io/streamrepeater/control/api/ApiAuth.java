package io.streamrepeater.control.api;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.UnauthorizedResponse;
import io.streamrepeater.control.store.ApiRole;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer token in front of {@code /api/*}: an address with too many refused tokens is answered 429 with a
 * {@code Retry-After} before its token is looked at ({@link SignInThrottle}); a missing or wrong token is answered 401
 * with a {@code WWW-Authenticate} challenge, and its log line is rate-limited; a token whose role does not allow the
 * request ({@link ApiPermissions}) is answered 403. Who made the request is kept in the context for the access log.
 */
final class ApiAuth implements Handler {
    // logs under the API server's name, as before the split: operators' log filters and the tests select that logger
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    /** The context attribute that holds the request's {@link Principal}. */
    static final String PRINCIPAL = "streamrepeater.principal";

    private final Function<String, Optional<Principal>> authenticate;
    /** Refused tokens per address (429 after a few) and the rate of their log lines. */
    private final SignInThrottle signIns = new SignInThrottle(Clock.systemUTC());

    /** @param authenticate who a presented token belongs to, if anyone (compared in constant time) */
    ApiAuth(Function<String, Optional<Principal>> authenticate) {
        this.authenticate = authenticate;
    }

    @Override
    public void handle(Context ctx) {
        String address = ctx.ip();
        long waitMs = signIns.waitMs(address);
        if (waitMs > 0) {
            ctx.header("Retry-After", Long.toString((waitMs + 999) / 1000));
            throw new HttpResponseException(
                    HttpStatus.TOO_MANY_REQUESTS.getCode(),
                    "too many refused tokens from " + address + ": try again in " + ((waitMs + 999) / 1000) + " s");
        }
        String header = ctx.header("Authorization");
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim()
                : null;
        Optional<Principal> principal = presented == null ? Optional.empty() : authenticate.apply(presented);
        if (principal.isEmpty()) {
            signIns.failed(address);
            if (signIns.mayLog()) {
                long suppressed = signIns.takeSuppressed();
                LOG.warn(
                        "event=api-unauthorized remote={} path={}{}",
                        address,
                        SignInThrottle.pathForLog(ctx.path()),
                        suppressed > 0 ? " suppressed=" + suppressed : "");
            }
            ctx.header("WWW-Authenticate", "Bearer realm=\"stream-repeater\"");
            throw new UnauthorizedResponse(
                    presented == null ? "missing bearer token (Authorization: Bearer ADMIN-TOKEN)" : "invalid token");
        }
        Principal who = principal.get();
        ctx.attribute(PRINCIPAL, who);
        ApiRole needed = ApiPermissions.required(ctx.method().name(), ctx.path(), ctx.queryString());
        if (!who.role().includes(needed)) {
            throw new HttpResponseException(
                    HttpStatus.FORBIDDEN.getCode(),
                    "token '" + who.name() + "' is a " + who.role().label() + " token: " + ctx.method() + " "
                            + ctx.path() + " needs " + needed.label());
        }
    }
}
