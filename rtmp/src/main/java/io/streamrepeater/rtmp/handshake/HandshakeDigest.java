package io.streamrepeater.rtmp.handshake;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The HMAC-SHA256 arithmetic of the digest-form handshake: the well-known keys, digest placement and checks. */
final class HandshakeDigest {
    static final int PACKET_SIZE = 1536;
    static final int DIGEST_SIZE = 32;

    /** 32 fixed bytes appended to both texts to form the "full" keys. */
    private static final byte[] KEY_TAIL = {
        (byte) 0xF0, (byte) 0xEE, (byte) 0xC2, (byte) 0x4A, (byte) 0x80, (byte) 0x68, (byte) 0xBE, (byte) 0xE8,
        (byte) 0x2E, (byte) 0x00, (byte) 0xD0, (byte) 0xD1, (byte) 0x02, (byte) 0x9E, (byte) 0x7E, (byte) 0x57,
        (byte) 0x6E, (byte) 0xEC, (byte) 0x5D, (byte) 0x2D, (byte) 0x29, (byte) 0x80, (byte) 0x6F, (byte) 0xAB,
        (byte) 0x93, (byte) 0xB8, (byte) 0xE6, (byte) 0x36, (byte) 0xCF, (byte) 0xEB, (byte) 0x31, (byte) 0xAE,
    };

    /** Signs the client's C1 digest: the 30-byte text only. */
    static final byte[] PLAYER_KEY = "Genuine Adobe Flash Player 001".getBytes(StandardCharsets.US_ASCII);
    /** Signs the server's S1 digest: the 36-byte text only. */
    static final byte[] SERVER_KEY = "Genuine Adobe Flash Media Server 001".getBytes(StandardCharsets.US_ASCII);
    /** Derives the S2 signing key from the client digest: the 36-byte text plus the 32 fixed bytes (68 bytes). */
    static final byte[] SERVER_FULL_KEY = concat(SERVER_KEY, KEY_TAIL);

    private HandshakeDigest() {}

    /**
     * Finds a valid client digest in C1, trying scheme 0 then scheme 1.
     *
     * @return the scheme whose digest validates with the player key, or {@code null} if neither does
     */
    static DigestScheme findClientDigest(byte[] c1) {
        for (DigestScheme scheme : DigestScheme.values()) {
            int offset = scheme.digestOffset(c1);
            byte[] expected = digestAround(c1, offset, PLAYER_KEY);
            if (MessageDigest.isEqual(expected, Arrays.copyOfRange(c1, offset, offset + DIGEST_SIZE))) {
                return scheme;
            }
        }
        return null;
    }

    /** Writes into {@code packet} the digest of the rest of the packet, at the place {@code scheme} selects. */
    static void imprint(byte[] packet, DigestScheme scheme, byte[] key) {
        int offset = scheme.digestOffset(packet);
        System.arraycopy(digestAround(packet, offset, key), 0, packet, offset, DIGEST_SIZE);
    }

    /** The 32 digest bytes a packet carries at the place {@code scheme} selects. */
    static byte[] digestOf(byte[] packet, DigestScheme scheme) {
        int offset = scheme.digestOffset(packet);
        return Arrays.copyOfRange(packet, offset, offset + DIGEST_SIZE);
    }

    /** HMAC-SHA256 of the packet with the 32 bytes at {@code offset} left out. */
    static byte[] digestAround(byte[] packet, int offset, byte[] key) {
        Mac mac = hmac(key);
        mac.update(packet, 0, offset);
        mac.update(packet, offset + DIGEST_SIZE, packet.length - offset - DIGEST_SIZE);
        return mac.doFinal();
    }

    /** HMAC-SHA256 of {@code data[0, length)}. */
    static byte[] hmacSha256(byte[] key, byte[] data, int length) {
        Mac mac = hmac(key);
        mac.update(data, 0, length);
        return mac.doFinal();
    }

    private static Mac hmac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            // Every Java runtime must ship HmacSHA256, so this is a broken installation, not a peer problem.
            throw new IllegalStateException("HmacSHA256 unavailable in this Java runtime", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
