package io.streamrepeater.control.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The admin token as the store keeps it: a salted SHA-256 digest, never the token itself, written as
 * {@code sha256:SALT_HEX:DIGEST_HEX}.
 *
 * <p>A fast digest is enough for the tokens this server generates (192 random bits, see
 * {@code FirstRun.newAdminToken}); the salt keeps equal tokens on two servers from having equal hashes.
 * {@link #matches(String)} takes the same time whatever the candidate shares with the token.
 */
public final class AdminTokenHash {
    private static final String ALGORITHM_PREFIX = "sha256";
    private static final int SALT_BYTES = 16;
    private static final int DIGEST_BYTES = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] salt;
    private final byte[] digest;

    private AdminTokenHash(byte[] salt, byte[] digest) {
        this.salt = salt;
        this.digest = digest;
    }

    /**
     * @param token the admin token in clear
     * @param random source of the salt
     * @return the token's hash with a new salt
     */
    public static AdminTokenHash of(String token, SecureRandom random) {
        Objects.requireNonNull(token, "token");
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new AdminTokenHash(salt, digest(salt, token));
    }

    /**
     * @param encoded the form written by {@link #encoded()}
     * @return the hash it describes
     * @throws IllegalArgumentException if it is not such a form (the text is not echoed)
     */
    public static AdminTokenHash parse(String encoded) {
        String[] parts = encoded == null ? new String[0] : encoded.split(":", -1);
        if (parts.length != 3 || !parts[0].equals(ALGORITHM_PREFIX)) {
            throw new IllegalArgumentException(
                    "stored admin token hash is not of the form " + ALGORITHM_PREFIX + ":SALT_HEX:DIGEST_HEX");
        }
        byte[] salt;
        byte[] digest;
        try {
            salt = HEX.parseHex(parts[1]);
            digest = HEX.parseHex(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("stored admin token hash is not valid hexadecimal", e);
        }
        if (salt.length != SALT_BYTES || digest.length != DIGEST_BYTES) {
            throw new IllegalArgumentException("stored admin token hash has a " + salt.length
                    + "-byte salt and a " + digest.length + "-byte digest; expected " + SALT_BYTES
                    + " and " + DIGEST_BYTES);
        }
        return new AdminTokenHash(salt, digest);
    }

    /**
     * Compares in constant time: the time taken does not tell how much of the candidate is right.
     *
     * @param candidate a token presented by a client, may be null
     * @return true if it is the token this hash was made from
     */
    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(digest, digest(salt, candidate));
    }

    /** @return {@code sha256:SALT_HEX:DIGEST_HEX}, what the store writes */
    public String encoded() {
        return ALGORITHM_PREFIX + ":" + HEX.formatHex(salt) + ":" + HEX.formatHex(digest);
    }

    private static byte[] digest(byte[] salt, String token) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(salt);
            return sha256.digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AdminTokenHash that
                && Arrays.equals(salt, that.salt)
                && Arrays.equals(digest, that.digest);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(salt) + Arrays.hashCode(digest);
    }

    /** Shows the algorithm only. */
    @Override
    public String toString() {
        return "AdminTokenHash[" + ALGORITHM_PREFIX + "]";
    }
}
