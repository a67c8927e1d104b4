package io.streamrepeater.control.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One state-changing API call as the audit keeps it: who (the token's name and role), what (method and path), when,
 * and the outcome (the HTTP status answered), from where.
 */
public record AuditEntry(
        Instant at, String token, ApiRole role, String method, String path, int status, String remote) {
    /** Paths longer than this are cut (a path is chosen by the client). */
    public static final int MAX_PATH = 200;

    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(method, "method");
        path = path.length() > MAX_PATH ? path.substring(0, MAX_PATH) : path;
        remote = remote == null ? "" : remote.length() > 64 ? remote.substring(0, 64) : remote;
    }
}
