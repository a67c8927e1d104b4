package io.streamrepeater.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * The log lines of one class, or of the whole JVM, while a test runs; safe to read while other threads log. Close it
 * (try-with-resources or teardown) to detach it and restore the level it changed.
 */
public final class CapturedLogs implements AutoCloseable {
    private final Logger attachedTo;
    private final Logger raised;
    private final Level previousLevel;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private CapturedLogs(Logger attachedTo, Logger raised) {
        this.attachedTo = attachedTo;
        this.raised = raised;
        this.previousLevel = raised == null ? null : raised.getLevel();
        appender.start();
        if (raised != null) {
            raised.setLevel(Level.DEBUG);
        }
        attachedTo.addAppender(appender);
    }

    /** The lines {@code source}'s logger writes, at the levels the logging configuration lets through. */
    public static CapturedLogs of(Class<?> source) {
        return new CapturedLogs((Logger) LoggerFactory.getLogger(source), null);
    }

    /**
     * Every log line of the JVM (the root logger: ours, a native library's routed lines, everything), with the loggers
     * under {@code debugLogger} (e.g. a module's package) down to DEBUG, so that a secret printed at any level is
     * caught.
     */
    public static CapturedLogs everything(String debugLogger) {
        return new CapturedLogs((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME), (Logger)
                LoggerFactory.getLogger(debugLogger));
    }

    /** The formatted messages so far, oldest first, without level or logger. */
    public List<String> messages() {
        return collect(ILoggingEvent::getFormattedMessage);
    }

    /** The lines so far, oldest first, as "LEVEL logger message" (e.g. {@code INFO io.….Server event=…}). */
    public List<String> lines() {
        return collect(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage());
    }

    /** The {@link #lines()} that contain {@code text}. */
    public List<String> linesWith(String text) {
        return lines().stream().filter(line -> line.contains(text)).toList();
    }

    private List<String> collect(Function<ILoggingEvent, String> format) {
        synchronized (appender) { // the appender appends under its own lock
            return appender.list.stream().map(format).toList();
        }
    }

    @Override
    public void close() {
        attachedTo.detachAppender(appender);
        appender.stop();
        if (raised != null) {
            raised.setLevel(previousLevel);
        }
    }
}
