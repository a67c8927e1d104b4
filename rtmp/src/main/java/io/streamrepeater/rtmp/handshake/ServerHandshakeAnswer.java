package io.streamrepeater.rtmp.handshake;

import java.util.Random;

/**
 * S1 and S2 for a given C1: the digest form when C1 carries a valid digest, the simple form otherwise.
 *
 * @param form the form the answer uses
 * @param s1 1536 bytes
 * @param s2 1536 bytes
 */
record ServerHandshakeAnswer(HandshakeForm form, byte[] s1, byte[] s2) {
    /** What we announce as server version in a digest-form S1; ffmpeg wants the first byte to be at least 3. */
    private static final byte[] SERVER_VERSION = {5, 0, 3, 1};

    static ServerHandshakeAnswer to(byte[] c1, int serverTime, Random random) {
        boolean clientSpeaksDigest = c1[4] != 0 || c1[5] != 0 || c1[6] != 0 || c1[7] != 0;
        DigestScheme scheme = clientSpeaksDigest ? HandshakeDigest.findClientDigest(c1) : null;
        byte[] s1 = new byte[HandshakeDigest.PACKET_SIZE];
        random.nextBytes(s1);
        writeInt(s1, 0, serverTime);
        if (scheme == null) {
            // Simple form, also the fallback for a digest we cannot validate: zeros where the version goes,
            // and S2 is C1 echoed back.
            writeInt(s1, 4, 0);
            return new ServerHandshakeAnswer(HandshakeForm.SIMPLE, s1, c1.clone());
        }
        System.arraycopy(SERVER_VERSION, 0, s1, 4, 4);
        HandshakeDigest.imprint(s1, scheme, HandshakeDigest.SERVER_KEY);

        byte[] s2 = new byte[HandshakeDigest.PACKET_SIZE];
        random.nextBytes(s2);
        byte[] clientDigest = HandshakeDigest.digestOf(c1, scheme);
        byte[] signingKey =
                HandshakeDigest.hmacSha256(HandshakeDigest.SERVER_FULL_KEY, clientDigest, clientDigest.length);
        int signedLength = HandshakeDigest.PACKET_SIZE - HandshakeDigest.DIGEST_SIZE;
        byte[] signature = HandshakeDigest.hmacSha256(signingKey, s2, signedLength);
        System.arraycopy(signature, 0, s2, signedLength, HandshakeDigest.DIGEST_SIZE);
        return new ServerHandshakeAnswer(HandshakeForm.DIGEST, s1, s2);
    }

    private static void writeInt(byte[] target, int offset, int value) {
        target[offset] = (byte) (value >>> 24);
        target[offset + 1] = (byte) (value >>> 16);
        target[offset + 2] = (byte) (value >>> 8);
        target[offset + 3] = (byte) value;
    }
}
