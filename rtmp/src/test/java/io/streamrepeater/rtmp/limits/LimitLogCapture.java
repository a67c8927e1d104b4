package io.streamrepeater.rtmp.limits;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Collects the {@code event=ingest-limit} lines for the duration of a test. */
final class LimitLogCapture implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger(IngestLimitEvents.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LimitLogCapture() {
        appender.start();
        logger.addAppender(appender);
    }

    List<String> lines() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
