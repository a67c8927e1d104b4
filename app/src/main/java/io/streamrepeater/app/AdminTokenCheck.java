package io.streamrepeater.app;

import io.streamrepeater.control.store.AdminTokenHash;
import io.streamrepeater.control.store.ConfigStore;
import io.streamrepeater.control.store.StoreException;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's admin token check against the store's hash, read at every request (another process may have set a new
 * token with {@code admin-token}); while the store does not answer (PostgreSQL stopped), the last hash read is used,
 * so that an operator can still see the server and is told why a change is refused (503) rather than being locked
 * out. The hash is read once at start too; before any hash was read, a store that does not answer is the caller's
 * error.
 */
final class AdminTokenCheck implements Predicate<String> {
    private static final Logger LOG = LoggerFactory.getLogger(AdminTokenCheck.class);

    private final ConfigStore store;
    private volatile Optional<AdminTokenHash> lastKnown;
    private volatile boolean storeDown;

    /** Reads the hash once now, so that a store outage before the first request does not lock operators out. */
    AdminTokenCheck(ConfigStore store) {
        this.store = store;
        try {
            lastKnown = store.adminTokenHash();
        } catch (StoreException e) {
            LOG.warn("event=admin-token-check-not-primed reason=\"{}\"", e.getMessage());
        }
    }

    @Override
    public boolean test(String candidate) {
        Optional<AdminTokenHash> hash;
        try {
            hash = store.adminTokenHash();
            lastKnown = hash;
            if (storeDown) {
                storeDown = false;
                LOG.info("event=admin-token-check-store-back");
            }
        } catch (StoreException e) {
            hash = lastKnown;
            if (hash == null) {
                throw e;
            }
            if (!storeDown) {
                storeDown = true;
                LOG.warn("event=admin-token-check-last-known reason=\"{}\"", e.getMessage());
            }
        }
        return hash.map(h -> h.matches(candidate)).orElse(false);
    }
}
