package io.streamrepeater.srt.binding;

/** The {@code SRT_SOCKOPT} values used here (srt.h, libsrt 1.5). */
public final class SrtSocketOption {
    /** int, ms: how long a blocking receive waits before failing with {@code SRT_EASYNCRCV}; -1 forever. */
    public static final int RCVTIMEO = 14;
    /** string, 10 to 79 bytes: enables AES encryption with a key derived from it; empty disables it. */
    public static final int PASSPHRASE = 26;
    /** int, ms: the receiver's TSBPD latency (the larger of both sides' wishes is used). */
    public static final int RCVLATENCY = 43;
    /** string: what the caller sent as its stream id (read on an accepted socket). */
    public static final int STREAMID = 46;
    /** bool as int: refuse a connection when only one side encrypts or the passphrases differ. */
    public static final int ENFORCEDENCRYPTION = 53;
    /** int, ms: the connection is broken after this long without any packet from the peer. */
    public static final int PEERIDLETIMEO = 55;

    private SrtSocketOption() {}
}
