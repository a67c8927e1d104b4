package io.streamrepeater.srt;

import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.streamrepeater.srt.binding.LibSrt;
import io.streamrepeater.srt.binding.SrtLogLevel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libsrt's own log, routed to SLF4J (logger {@code io.streamrepeater.srt.libsrt}) instead of stderr, one
 * line per libsrt line: {@code event=libsrt level=… area=… message="…"}.
 *
 * <p>libsrt produces warnings and worse only ({@code srt_setloglevel(LOG_WARNING)}): that keeps the noise
 * down and is the level at which it reports why a handshake was refused. Its levels are mapped down
 * (critical to ERROR, error to INFO, warning to DEBUG): in a listener, what libsrt calls an error or a warning
 * is a caller's doing (a wrong passphrase, a peer gone silent; 1.5.1 even warns "nothing to read" on every
 * receive timeout of a silent connection), and our own {@code event=srt-…} lines already report it with the
 * input it concerns.
 *
 * <p>libsrt refuses a caller whose passphrase is wrong, or who encrypts when the input does not (or the
 * reverse), inside the handshake, after our listen callback has accepted the stream key, and
 * {@code srt_accept} never hears of it. The one trace is its warning
 * {@code @SOCKET:newConnection: connection rejected due to: INTERNAL REJECTION - ERROR:BADSECRET}, logged
 * synchronously on the handshake thread; {@link RejectedHandshake} recognises it and the listeners
 * (the servers, which know the input of that socket) are told.
 *
 * <p>Secrets: at this level libsrt does not print stream ids or passphrases; should a line ever carry one
 * as {@code streamid=…}/{@code passphrase: …}, the value is masked before it is logged.
 */
final class LibsrtLog implements LibSrt.LogHandler {
    private static final Logger LOG = LoggerFactory.getLogger("io.streamrepeater.srt.libsrt");
    private static final Pattern SECRET_VALUE =
            Pattern.compile("(?i)\\b(stream ?id|sid|passphrase|password|key)(\\s*[=:]\\s*)(\\S+)");

    /**
     * Shared by every router: loading one libsrt under two names (say {@code libsrt.so.1.5}, then {@code srt})
     * installs a second router in place of the first, and the servers registered with either must still hear.
     */
    private static final List<Consumer<RejectedHandshake>> REJECTION_LISTENERS = new CopyOnWriteArrayList<>();

    LibsrtLog() {}

    /** Makes a router the process-wide log handler of {@code api}; the returned object must stay referenced. */
    static LibsrtLog install(LibSrt api) {
        LibsrtLog log = new LibsrtLog();
        // libsrt threads call in; attach them as daemons, named, and detach them after each line
        Native.setCallbackThreadInitializer(log, new CallbackThreadInitializer(true, true, "libsrt-log"));
        api.srt_setlogflags(SrtLogLevel.FLAGS_MESSAGE_ONLY);
        api.srt_setloghandler(null, log);
        api.srt_setloglevel(SrtLogLevel.WARNING);
        return log;
    }

    /** {@code listener} hears of every handshake libsrt rejects by itself, on libsrt's thread; it must not block. */
    static void addRejectionListener(Consumer<RejectedHandshake> listener) {
        REJECTION_LISTENERS.add(listener);
    }

    static void removeRejectionListener(Consumer<RejectedHandshake> listener) {
        REJECTION_LISTENERS.remove(listener);
    }

    /** At most this many libsrt lines a second are logged: a flood of garbage datagrams makes one per packet. */
    static final int LINES_PER_SECOND = 10;

    private long logSecond = Long.MIN_VALUE;
    private int linesThisSecond;
    private long suppressed;

    /**
     * Whether a line may be logged now; -1 when not (it is counted), else how many were left out before it.
     */
    synchronized long admit(long nowMillis) {
        long second = nowMillis / 1000;
        if (second != logSecond) {
            logSecond = second;
            linesThisSecond = 0;
        }
        if (linesThisSecond >= LINES_PER_SECOND) {
            suppressed++;
            return -1;
        }
        linesThisSecond++;
        long before = suppressed;
        suppressed = 0;
        return before;
    }

    @Override
    public void invoke(Pointer opaque, int level, String file, int line, String area, String message) {
        try {
            String text = redact(bare(message));
            long left = admit(System.currentTimeMillis());
            String more = left > 0 ? " suppressed=" + left : "";
            if (left < 0) {
                // counted, not logged
            } else if (level <= SrtLogLevel.CRITICAL) {
                LOG.error("event=libsrt level=critical area={} message=\"{}\"{}", area, text, more);
            } else if (level == SrtLogLevel.ERROR) {
                LOG.info("event=libsrt level=error area={} message=\"{}\"{}", area, text, more);
            } else if (level == SrtLogLevel.WARNING) {
                LOG.debug("event=libsrt level=warning area={} message=\"{}\"{}", area, text, more);
            } else {
                LOG.debug("event=libsrt level={} area={} message=\"{}\"{}", level, area, text, more);
            }
            RejectedHandshake rejected = RejectedHandshake.parse(text);
            if (rejected != null) {
                for (Consumer<RejectedHandshake> listener : REJECTION_LISTENERS) {
                    listener.accept(rejected);
                }
            }
        } catch (RuntimeException | Error e) {
            // an exception must not unwind into libsrt's C++ thread
            LOG.warn("event=libsrt-log-failed error=\"{}\"", e.toString());
        }
    }

    /** The message without the {@code ": "} libsrt leaves where the disabled prefix fields were. */
    static String bare(String message) {
        String text = message == null ? "" : message.strip();
        while (text.startsWith(":")) {
            text = text.substring(1).stripLeading();
        }
        return text.replace('"', '\'');
    }

    /** {@code text} with the value after any {@code streamid=}, {@code passphrase:}… masked. */
    static String redact(String text) {
        Matcher matcher = SECRET_VALUE.matcher(text);
        return matcher.find() ? matcher.replaceAll("$1$2<redacted>") : text;
    }
}
