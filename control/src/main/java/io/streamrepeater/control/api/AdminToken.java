package io.streamrepeater.control.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The admin bearer token, held only as its SHA-256 hash; checks compare hashes in constant time so
 * the comparison leaks nothing about the token through timing.
 */
public final class AdminToken {
    private final byte[] hash;

    private AdminToken(byte[] hash) {
        this.hash = hash;
    }

    public static AdminToken of(String token) {
        return new AdminToken(sha256(token));
    }

    public boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(hash, sha256(candidate));
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
