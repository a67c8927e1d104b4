package io.streamrepeater.control.api;

import io.streamrepeater.control.store.ApiRole;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The role each API request needs. Reads need a {@link ApiRole#VIEWER}, except those that show a secret (an input's
 * ingest URL with its key, the configuration with its secrets) the tokens or the audit, which need an {@link ApiRole#ADMIN};
 * what an operator does during a show (switch inputs, run rehearsals, enable or disable a destination) needs an
 * {@link ApiRole#OPERATOR}; every other change needs an admin. One table, so that what a role may do is read in one
 * place (the README's table says the same).
 */
final class ApiPermissions {
    private record Rule(String method, Pattern path, ApiRole role) {}

    private static final String SEGMENT = "[^/]+";

    private static final List<Rule> RULES = List.of(
            rule("GET", "/api/v1/channels/" + SEGMENT + "/inputs/" + SEGMENT + "/ingest", ApiRole.ADMIN),
            rule("GET", "/api/v1/tokens", ApiRole.ADMIN),
            rule("GET", "/api/v1/audit", ApiRole.ADMIN),
            rule("POST", "/api/v1/channels/" + SEGMENT + "/switch", ApiRole.OPERATOR),
            rule("POST", "/api/v1/channels/" + SEGMENT + "/rehearsals", ApiRole.OPERATOR),
            rule("PATCH", "/api/v1/channels/" + SEGMENT + "/destinations/" + SEGMENT, ApiRole.OPERATOR));

    private ApiPermissions() {}

    private static Rule rule(String method, String path, ApiRole role) {
        return new Rule(method, Pattern.compile(path), role);
    }

    /**
     * @param query the query string, or null ({@code GET /api/v1/config?secrets=true} shows the secrets)
     * @return the least role allowed to make the request
     */
    static ApiRole required(String method, String path, String query) {
        for (Rule r : RULES) {
            if (r.method().equals(method) && r.path().matcher(path).matches()) {
                return r.role();
            }
        }
        if (method.equals("GET") || method.equals("HEAD")) {
            boolean secrets = path.equals("/api/v1/config") && query != null && query.contains("secrets=true");
            return secrets ? ApiRole.ADMIN : ApiRole.VIEWER;
        }
        return ApiRole.ADMIN;
    }
}
