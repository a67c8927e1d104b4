package io.streamrepeater.control.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts the secrets the store keeps (stream keys, destination URLs, webhook secrets) with AES-256-GCM
 * under a key from the data directory's key file ({@link SecretKeyFile}).
 *
 * <p>A stored value reads {@value #PREFIX}BASE64, the base64 holding a random 12-byte nonce, then the
 * ciphertext with its 16-byte tag; the column's name is the associated data. The random nonce makes two
 * encryptions of one key differ, so equality of input keys is checked on {@link #inputKeyDigest(String)}
 * instead, an HMAC-SHA256 that cannot be computed without the key file.
 *
 * <p>The key file's 32 bytes are never used directly: the encryption key, the digest key and the
 * fingerprint are each derived from them with HMAC-SHA256 under a label of their own. Thread-safe.
 */
public final class SecretCipher {
    /** The version prefix of an encrypted value; a later format would take {@code enc:v2:}. */
    public static final String PREFIX = "enc:v1:";
    /** Length of the key file's key. */
    public static final int KEY_BYTES = 32;

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    /** The label the cluster link's key is derived under (HMAC-SHA256 of it with the key file's key). */
    public static final String CLUSTER_LINK_LABEL = "stream-repeater cluster link v1";

    private final SecretKeySpec encryptionKey;
    private final SecretKeySpec digestKey;
    private final String fingerprint;
    /** The key of the link between the nodes of a cluster (who share the key file); never the file's key itself. */
    private final byte[] clusterLinkKey;

    private final String source;
    private final SecureRandom random = new SecureRandom();

    /** @param key a copy of the key file's bytes, wiped once the working keys are derived */
    private SecretCipher(byte[] key, String source) {
        this.encryptionKey = new SecretKeySpec(derive(key, "stream-repeater store encryption v1"), "AES");
        this.digestKey = new SecretKeySpec(derive(key, "stream-repeater input key digest v1"), "HmacSHA256");
        this.fingerprint = HexFormat.of().formatHex(derive(key, "stream-repeater key fingerprint v1"));
        this.clusterLinkKey = derive(key, CLUSTER_LINK_LABEL);
        this.source = source;
        Arrays.fill(key, (byte) 0);
    }

    /**
     * @param key {@value #KEY_BYTES} random bytes; copied, the caller may wipe its array
     * @param source where the key came from (the key file's path), for error messages
     * @throws IllegalArgumentException if the key is not {@value #KEY_BYTES} bytes long
     */
    public static SecretCipher of(byte[] key, String source) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(source, "source");
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException(
                    "the key of " + source + " is " + key.length + " bytes long; expected " + KEY_BYTES);
        }
        return new SecretCipher(key.clone(), source);
    }

    /** @return where the key came from, as given to {@link #of(byte[], String)} */
    public String source() {
        return source;
    }

    /**
     * @param plaintext the secret
     * @param column where it is stored (bound into the ciphertext)
     * @return {@value #PREFIX}BASE64, a different text on every call
     */
    String seal(String plaintext, SecretColumn column) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(column.qualifiedName().getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return PREFIX
                    + Base64.getEncoder()
                            .encodeToString(ByteBuffer.allocate(NONCE_BYTES + sealed.length)
                                    .put(nonce)
                                    .put(sealed)
                                    .array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is missing from this Java runtime", e);
        }
    }

    /** {@link #seal(String, SecretColumn)} that passes null through (an optional column). */
    String sealNullable(String plaintext, SecretColumn column) {
        return plaintext == null ? null : seal(plaintext, column);
    }

    /**
     * @param stored a value written by {@link #seal(String, SecretColumn)} into {@code column}
     * @return the secret
     * @throws IllegalArgumentException if the value is not encrypted, is damaged, or was encrypted with
     *     another key; the message names the column and the key file, never the value
     */
    String unseal(String stored, SecretColumn column) {
        if (!isSealed(stored)) {
            throw new IllegalArgumentException(column.qualifiedName() + " holds a value that is not encrypted"
                    + " (expected " + PREFIX + "...); was the table edited by hand?");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    column.qualifiedName() + " holds an encrypted value that is not valid" + " base64");
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException(column.qualifiedName() + " holds an encrypted value that is too short"
                    + " (" + bytes.length + " bytes)");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(column.qualifiedName().getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException("cannot decrypt " + column.qualifiedName() + " with the key of " + source
                    + ": the value was encrypted with another key or is damaged");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is missing from this Java runtime", e);
        }
    }

    /** {@link #unseal(String, SecretColumn)} that passes null through (an optional column). */
    String unsealNullable(String stored, SecretColumn column) {
        return stored == null ? null : unseal(stored, column);
    }

    /** @return true if the value has the form {@link #seal(String, SecretColumn)} writes */
    static boolean isSealed(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    /**
     * @param inputKey an input's stream key
     * @return 64 hex digits, equal for equal keys under one key file: what the store's uniqueness check
     *     and conflict lookup compare, since the encrypted keys differ on every write
     */
    String inputKeyDigest(String inputKey) {
        return HexFormat.of().formatHex(hmac(digestKey, inputKey.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * @return 64 hex digits that identify the key without revealing it: stored beside the data, so a store
     *     opened with another key file is refused at start instead of failing on its first read
     */
    String fingerprint() {
        return fingerprint;
    }

    /**
     * @return a copy of the key that authenticates publishes between the nodes of a cluster: the HMAC-SHA256 of
     *     {@value #CLUSTER_LINK_LABEL} with the key file's key, equal on every node that has the same key file, and
     *     revealing nothing of the key file's key (nor of the store's other keys)
     */
    public byte[] clusterLinkKey() {
        return clusterLinkKey.clone();
    }

    private static byte[] derive(byte[] key, String label) {
        return hmac(new SecretKeySpec(key, "HmacSHA256"), label.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
        }
    }

    /** Names the key file only. */
    @Override
    public String toString() {
        return "SecretCipher[" + source + "]";
    }
}
