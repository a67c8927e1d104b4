package io.streamrepeater.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** The formatted log lines of one class while a test runs; safe to read while other threads log. */
final class CapturedLogs implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private CapturedLogs(Class<?> source) {
        logger = (Logger) LoggerFactory.getLogger(source);
        appender.start();
        logger.addAppender(appender);
    }

    static CapturedLogs of(Class<?> source) {
        return new CapturedLogs(source);
    }

    /** @return the lines logged so far, as "LEVEL message" */
    List<String> lines() {
        synchronized (appender) { // the appender appends under its own lock
            return appender.list.stream()
                    .map(e -> e.getLevel() + " " + e.getFormattedMessage())
                    .toList();
        }
    }

    /** @return the lines that contain {@code text} */
    List<String> linesWith(String text) {
        return lines().stream().filter(l -> l.contains(text)).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
