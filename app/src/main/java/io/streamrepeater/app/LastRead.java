package io.streamrepeater.app;

import io.streamrepeater.control.store.StoreException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Something the API checks against the store at every request (another process or node may have changed it), with
 * the last value read standing in while the store does not answer (PostgreSQL stopped), so that operators can still
 * see the server and are told why a change is refused (503) rather than being locked out. Read once at start too;
 * before any value was read, a store that does not answer is the caller's error. One warning per outage.
 */
final class LastRead<T> {
    private static final Logger LOG = LoggerFactory.getLogger(LastRead.class);

    private final String what;
    private final Supplier<T> read;
    private volatile T last;
    private volatile boolean storeDown;

    /** @param what what is read, for the log lines (e.g. {@code admin-token-hash}) */
    LastRead(String what, Supplier<T> read) {
        this.what = what;
        this.read = read;
        try {
            last = read.get();
        } catch (StoreException e) {
            LOG.warn("event=store-read-not-primed what={} reason=\"{}\"", what, e.getMessage());
        }
    }

    /** @return the value in the store now, or the last one read while the store does not answer */
    T get() {
        try {
            T now = read.get();
            last = now;
            if (storeDown) {
                storeDown = false;
                LOG.info("event=store-read-back what={}", what);
            }
            return now;
        } catch (StoreException e) {
            T known = last;
            if (known == null) {
                throw e;
            }
            if (!storeDown) {
                storeDown = true;
                LOG.warn("event=store-read-last-known what={} reason=\"{}\"", what, e.getMessage());
            }
            return known;
        }
    }
}
