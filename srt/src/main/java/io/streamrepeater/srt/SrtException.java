package io.streamrepeater.srt;

/** A libsrt call failed; the message says what was attempted and what libsrt answered. */
public final class SrtException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errorCode;

    SrtException(String message, int errorCode) {
        super(message);
        this.errorCode = errorCode;
    }

    /** libsrt's {@code SRT_ERRNO} of the failed call. */
    public int errorCode() {
        return errorCode;
    }
}
