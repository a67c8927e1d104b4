package io.streamrepeater.srt;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Every log line of the JVM (the root logger: ours, libsrt's routed lines, everything) while a test runs,
 * down to DEBUG for this module, so that a secret printed at any level is caught.
 */
final class CapturedLogs implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger module = (Logger) LoggerFactory.getLogger("io.streamrepeater.srt");
    private final Level previousModuleLevel = module.getLevel();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    CapturedLogs() {
        appender.start();
        module.setLevel(Level.DEBUG);
        root.addAppender(appender);
    }

    /** The formatted lines so far, oldest first, with the logger's name in front. */
    List<String> lines() {
        return appender.list.stream()
                .map(e -> e.getLoggerName() + " " + e.getFormattedMessage())
                .toList();
    }

    List<String> linesWith(String text) {
        return lines().stream().filter(line -> line.contains(text)).toList();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        module.setLevel(previousModuleLevel);
        appender.stop();
    }
}
