package io.streamrepeater.control.api;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.streamrepeater.control.store.AuditEntry;
import io.streamrepeater.control.store.StoreException;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After every API request made with a valid token ({@link ApiAuth} put its {@link Principal} in the context): one
 * access-log line naming the token (changes at INFO, reads at DEBUG: the dashboard reads every few seconds), and, for
 * a change, allowed or refused, one entry in the store's audit. A refused token is in neither: it has no name, and
 * {@link ApiAuth} throttles and logs it. A store that does not answer loses the audit entry, which is logged.
 */
final class ApiRequestLog implements Handler {
    private static final Logger ACCESS = LoggerFactory.getLogger("io.streamrepeater.access");
    // the audit's failures log under the API server's name, with its other store warnings
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String LINE = "event=api-request method={} path={} status={} token={} role={} remote={}";

    private final ControlPort port;

    ApiRequestLog(ControlPort port) {
        this.port = port;
    }

    @Override
    public void handle(Context ctx) {
        Principal who = ctx.attribute(ApiAuth.PRINCIPAL);
        if (who == null) {
            return;
        }
        boolean read = ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD;
        String path = SignInThrottle.pathForLog(ctx.path());
        if (read) {
            ACCESS.debug(
                    LINE,
                    ctx.method(),
                    path,
                    ctx.statusCode(),
                    who.name(),
                    who.role().label(),
                    ctx.ip());
            return;
        }
        ACCESS.info(
                LINE,
                ctx.method(),
                path,
                ctx.statusCode(),
                who.name(),
                who.role().label(),
                ctx.ip());
        AuditEntry entry = new AuditEntry(
                Instant.now(), who.name(), who.role(), ctx.method().name(), ctx.path(), ctx.statusCode(), ctx.ip());
        try {
            port.audit(entry);
        } catch (StoreException e) {
            LOG.warn(
                    "event=audit-not-kept method={} path={} token={} status={} reason=\"{}\"",
                    entry.method(),
                    path,
                    entry.token(),
                    entry.status(),
                    e.getMessage());
        }
    }
}
