package io.streamrepeater.testkit;

import java.util.Arrays;
import java.util.Random;

/**
 * The mutations a fuzzer applies to real bytes (DESIGN.md §6.3): bit flips, byte overwrites (often with boundary
 * values such as 0x00, 0x7F, 0x80, 0xFF), byte insertion and deletion, truncation, duplication of a range, and a
 * splice with a second input (a prefix of one, a suffix of the other). Deterministic for a given {@link Random}.
 * Shared by the suite's fuzz properties and the long fuzz command ({@code fuzz/run.sh}).
 */
public final class Mutations {
    private static final byte[] BOUNDARY_BYTES = {
        0x00, 0x01, 0x03, 0x7F, (byte) 0x80, (byte) 0xC0, (byte) 0xFE, (byte) 0xFF
    };
    private static final int MAX_DUPLICATED = 64;

    private Mutations() {}

    /**
     * Applies {@code count} mutations, each chosen at random, to a copy of {@code seed}.
     *
     * @param donor the second input a splice takes its suffix from (may be {@code seed} itself)
     */
    public static byte[] apply(byte[] seed, byte[] donor, Random random, int count) {
        byte[] bytes = seed.clone();
        for (int i = 0; i < count; i++) {
            bytes = applyOne(bytes, donor, random);
        }
        return bytes;
    }

    /** {@code length} random bytes; half the time mostly small values, which hit markers and short lengths. */
    public static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        if (random.nextBoolean()) {
            for (int i = 0; i < length; i++) {
                if (random.nextInt(4) != 0) {
                    bytes[i] = (byte) random.nextInt(0x13);
                }
            }
        }
        return bytes;
    }

    private static byte[] applyOne(byte[] bytes, byte[] donor, Random random) {
        int kind = random.nextInt(7);
        if (bytes.length == 0) {
            kind = 2; // only an insertion can change an empty input
        }
        switch (kind) {
            case 0 -> {
                int at = random.nextInt(bytes.length);
                bytes[at] ^= (byte) (1 << random.nextInt(8));
                return bytes;
            }
            case 1 -> {
                bytes[random.nextInt(bytes.length)] = random.nextBoolean()
                        ? BOUNDARY_BYTES[random.nextInt(BOUNDARY_BYTES.length)]
                        : (byte) random.nextInt(256);
                return bytes;
            }
            case 2 -> {
                int at = random.nextInt(bytes.length + 1);
                byte[] longer = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, longer, 0, at);
                longer[at] = (byte) random.nextInt(256);
                System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                return longer;
            }
            case 3 -> {
                int at = random.nextInt(bytes.length);
                byte[] shorter = new byte[bytes.length - 1];
                System.arraycopy(bytes, 0, shorter, 0, at);
                System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
                return shorter;
            }
            case 4 -> {
                return Arrays.copyOf(bytes, random.nextInt(bytes.length));
            }
            case 5 -> {
                int from = random.nextInt(bytes.length);
                int length = 1 + random.nextInt(Math.min(MAX_DUPLICATED, bytes.length - from));
                int at = random.nextInt(bytes.length + 1);
                byte[] longer = new byte[bytes.length + length];
                System.arraycopy(bytes, 0, longer, 0, at);
                System.arraycopy(bytes, from, longer, at, length);
                System.arraycopy(bytes, at, longer, at + length, bytes.length - at);
                return longer;
            }
            default -> {
                int cut = random.nextInt(bytes.length + 1);
                int donorFrom = donor.length == 0 ? 0 : random.nextInt(donor.length);
                byte[] spliced = Arrays.copyOf(bytes, cut + donor.length - donorFrom);
                System.arraycopy(donor, donorFrom, spliced, cut, donor.length - donorFrom);
                return spliced;
            }
        }
    }
}
