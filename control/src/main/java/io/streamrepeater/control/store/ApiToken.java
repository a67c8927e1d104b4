package io.streamrepeater.control.store;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An API token as the store keeps it: its name, its role and a salted hash of its secret, never the token. A token
 * reads {@code NAME.SECRET}: the name finds the row, the secret (256 random bits, base64url) is checked against the
 * hash in constant time.
 *
 * @param name {@code [a-z0-9-]{1,64}}, unique; {@code admin} is the first-run admin token's name and not allowed
 * @param createdAt when it was created
 */
public record ApiToken(String name, ApiRole role, AdminTokenHash hash, Instant createdAt) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Pattern TOKEN = Pattern.compile("([a-z0-9-]{1,64})\\.([A-Za-z0-9_-]{43})");
    private static final int SECRET_BYTES = 32;

    public ApiToken {
        requireName(name);
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * @return the name
     * @throws IllegalArgumentException saying what a token name may be
     */
    public static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a token name is 1 to 64 of a-z, 0-9 and '-', got \"" + name + "\"");
        }
        if (name.equals("admin")) {
            throw new IllegalArgumentException(
                    "\"admin\" names the first-run admin token; give this token another name");
        }
        return name;
    }

    /** A new token in clear (shown once) and what the store keeps of it. */
    public record Issued(String token, ApiToken stored) {
        @Override
        public String toString() {
            return "Issued[token=****, stored=" + stored + "]";
        }
    }

    /** Creates a token named {@code name} with {@code role}: a new secret and its salted hash. */
    public static Issued issue(String name, ApiRole role, SecureRandom random, Instant now) {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new Issued(
                requireName(name) + "." + encoded, new ApiToken(name, role, AdminTokenHash.of(encoded, random), now));
    }

    /** The name and secret of a presented token, if it has a named token's form. */
    public record Presented(String name, String secret) {
        @Override
        public String toString() {
            return "Presented[name=" + name + ", secret=****]";
        }
    }

    /** @return the parts of {@code candidate}, or null if it is not of the form NAME.SECRET */
    public static Presented parse(String candidate) {
        if (candidate == null) {
            return null;
        }
        var m = TOKEN.matcher(candidate);
        return m.matches() ? new Presented(m.group(1), m.group(2)) : null;
    }

    /** @return true if {@code secret} is this token's (constant time) */
    public boolean matches(String secret) {
        return hash.matches(secret);
    }
}
