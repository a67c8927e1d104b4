package io.streamrepeater.srt.binding;

/** libsrt logs with syslog's levels (logging_api.h), and these flags shape each line it hands to a log handler. */
public final class SrtLogLevel {
    public static final int CRITICAL = 2;
    public static final int ERROR = 3;
    public static final int WARNING = 4;
    public static final int NOTICE = 5;
    public static final int DEBUG = 7;

    /** {@code SRT_LOGF_DISABLE_TIME | _THREADNAME | _SEVERITY | _EOL}: the bare message, SLF4J adds the rest. */
    public static final int FLAGS_MESSAGE_ONLY = 1 | 2 | 4 | 8;

    private SrtLogLevel() {}
}
