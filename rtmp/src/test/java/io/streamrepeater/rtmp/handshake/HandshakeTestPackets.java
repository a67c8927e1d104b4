package io.streamrepeater.rtmp.handshake;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds handshake packets the way real clients do, with its own HMAC arithmetic so the tests do not check the
 * production code against itself.
 */
final class HandshakeTestPackets {
    static final int SIZE = 1536;
    static final byte[] PLAYER_KEY_30 = "Genuine Adobe Flash Player 001".getBytes(StandardCharsets.US_ASCII);
    static final byte[] FMS_KEY_36 = "Genuine Adobe Flash Media Server 001".getBytes(StandardCharsets.US_ASCII);
    static final byte[] FMS_KEY_68 = fmsFullKey();

    private HandshakeTestPackets() {}

    /** A simple-form C1: time, four zero bytes, random. */
    static byte[] simpleC1(long seed) {
        byte[] c1 = new byte[SIZE];
        new Random(seed).nextBytes(c1);
        c1[0] = 0;
        c1[1] = 0;
        c1[2] = 0x12;
        c1[3] = 0x34;
        c1[4] = 0;
        c1[5] = 0;
        c1[6] = 0;
        c1[7] = 0;
        return c1;
    }

    /**
     * A digest-form C1 as ffmpeg builds it: uptime 0, client version 9.0.124.2, random body, and the HMAC-SHA256
     * (30-byte player key) of the packet minus the digest placed at the offset the scheme selects.
     */
    static byte[] digestC1(long seed, int offsetBase) {
        byte[] c1 = new byte[SIZE];
        new Random(seed).nextBytes(c1);
        c1[0] = 0;
        c1[1] = 0;
        c1[2] = 0;
        c1[3] = 0;
        c1[4] = 9;
        c1[5] = 0;
        c1[6] = 124;
        c1[7] = 2;
        int offset = digestOffset(c1, offsetBase);
        System.arraycopy(hmacWithout(c1, offset, PLAYER_KEY_30), 0, c1, offset, 32);
        return c1;
    }

    /** Offset of the digest: sum of the four bytes at {@code base}, modulo 728, plus {@code base + 4}. */
    static int digestOffset(byte[] packet, int base) {
        int sum = (packet[base] & 0xFF)
                + (packet[base + 1] & 0xFF)
                + (packet[base + 2] & 0xFF)
                + (packet[base + 3] & 0xFF);
        return sum % 728 + base + 4;
    }

    static byte[] hmacWithout(byte[] packet, int offset, byte[] key) {
        byte[] rest = new byte[SIZE - 32];
        System.arraycopy(packet, 0, rest, 0, offset);
        System.arraycopy(packet, offset + 32, rest, offset, SIZE - offset - 32);
        return hmac(key, rest);
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static byte[] slice(byte[] bytes, int from, int to) {
        return Arrays.copyOfRange(bytes, from, to);
    }

    private static byte[] fmsFullKey() {
        int[] tail = {
            0xF0, 0xEE, 0xC2, 0x4A, 0x80, 0x68, 0xBE, 0xE8, 0x2E, 0x00, 0xD0, 0xD1, 0x02, 0x9E, 0x7E, 0x57, 0x6E, 0xEC,
            0x5D, 0x2D, 0x29, 0x80, 0x6F, 0xAB, 0x93, 0xB8, 0xE6, 0x36, 0xCF, 0xEB, 0x31, 0xAE
        };
        byte[] key = Arrays.copyOf(FMS_KEY_36, 68);
        for (int i = 0; i < 32; i++) {
            key[36 + i] = (byte) tail[i];
        }
        return key;
    }
}
