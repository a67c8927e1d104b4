package io.streamrepeater.control.store;

import java.util.Arrays;
import java.util.Locale;

/**
 * What an API token may do, each role including the one before it: a {@link #VIEWER} reads the channels, their
 * status, events and pictures, never a key; an {@link #OPERATOR} also switches inputs, runs rehearsals and enables or
 * disables destinations; an {@link #ADMIN} does everything (keys, destinations, channels, configuration, tokens).
 */
public enum ApiRole {
    VIEWER,
    OPERATOR,
    ADMIN;

    /** @return the name in the API and the CLI */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return true if this role may do what {@code needed} may */
    public boolean includes(ApiRole needed) {
        return compareTo(needed) >= 0;
    }

    /** @throws IllegalArgumentException naming the roles */
    public static ApiRole of(String label) {
        return Arrays.stream(values())
                .filter(r -> r.label().equals(label))
                .findFirst()
                .orElseThrow(() ->
                        new IllegalArgumentException("role must be viewer, operator or admin, got \"" + label + "\""));
    }
}
