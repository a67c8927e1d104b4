package io.streamrepeater.srt.binding;

/**
 * Handshake rejection codes: libsrt's own ({@code SRT_REJECT_REASON}, below 1000) and the application codes
 * of {@code access_control.h} (1000 to 1999, HTTP-like), which a listen callback sets with
 * {@code srt_setrejectreason} and the caller reports (ffmpeg prints them; on the wire they travel plus 1000).
 */
public final class SrtRejectReason {
    /** Both sides have a passphrase and they differ. */
    public static final int BADSECRET = 10;
    /** Only one side has a passphrase. */
    public static final int UNSECURE = 11;

    /** The stream id does not parse. */
    public static final int X_BAD_REQUEST = 1400;
    /** The server is full. */
    public static final int X_OVERLOAD = 1402;
    /** The stream id asks for something this server refuses (e.g. {@code m=request}: we only ingest). */
    public static final int X_FORBIDDEN = 1403;
    /** No input has this stream key. */
    public static final int X_NOTFOUND = 1404;
    /** Something failed on our side. */
    public static final int X_ISE = 1500;

    private SrtRejectReason() {}
}
