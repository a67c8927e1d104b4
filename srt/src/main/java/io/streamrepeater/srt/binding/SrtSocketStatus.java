package io.streamrepeater.srt.binding;

/** The {@code SRT_SOCKSTATUS} values (srt.h, libsrt 1.5). */
public final class SrtSocketStatus {
    public static final int CONNECTED = 5;
    public static final int BROKEN = 6;
    public static final int CLOSING = 7;
    public static final int CLOSED = 8;
    public static final int NONEXIST = 9;

    private SrtSocketStatus() {}
}
