package io.streamrepeater.app.cluster;

import io.streamrepeater.control.store.SecretCipher;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that authenticates publishes on the cluster link: derived from the secret key file every node of a cluster
 * shares ({@link SecretCipher#clusterLinkKey()}), so no node needs another secret and the file's key itself never
 * leaves the node, not even hashed into a stream name. Thread-safe.
 */
public final class LinkKey {
    /** HMAC-SHA256 keys shorter than this are refused: the key must not be guessable. */
    static final int MIN_BYTES = 32;

    private final SecretKeySpec key;

    private LinkKey(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /** The link key of a node whose store uses {@code cipher} (the key file shared by the cluster). */
    public static LinkKey from(SecretCipher cipher) {
        byte[] bytes = cipher.clusterLinkKey();
        try {
            return of(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * @param key at least {@value #MIN_BYTES} bytes; copied
     * @throws IllegalArgumentException if the key is shorter
     */
    public static LinkKey of(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length < MIN_BYTES) {
            throw new IllegalArgumentException(
                    "a cluster link key needs at least " + MIN_BYTES + " bytes, got " + key.length);
        }
        return new LinkKey(key.clone());
    }

    /** HMAC-SHA256 of {@code text} (UTF-8) under this key. */
    byte[] mac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
        }
    }

    /** Never the key. */
    @Override
    public String toString() {
        return "LinkKey[****]";
    }
}
