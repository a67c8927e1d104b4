package io.streamrepeater.control.api;

import io.streamrepeater.control.store.ApiRole;
import java.util.Objects;

/**
 * Who made an API request: the token's name ({@code admin} for the first-run admin token) and its role.
 *
 * @param name the token's name, logged with every request
 */
public record Principal(String name, ApiRole role) {
    /** The first-run admin token. */
    public static final Principal ADMIN = new Principal("admin", ApiRole.ADMIN);

    public Principal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }
}
