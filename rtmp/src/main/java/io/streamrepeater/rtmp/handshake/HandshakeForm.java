package io.streamrepeater.rtmp.handshake;

/** Which of the two handshake forms the peers used. */
public enum HandshakeForm {
    /** Spec handshake: C1/S1 carry zeros at bytes 4..7 and the second packet echoes the first (librtmp, OBS). */
    SIMPLE,
    /** Flash Player 9+ / ffmpeg style: C1 and S1 carry an HMAC-SHA256 digest, S2 is signed with a derived key. */
    DIGEST
}
