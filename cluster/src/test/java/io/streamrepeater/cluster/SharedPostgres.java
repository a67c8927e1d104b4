package io.streamrepeater.cluster;

import io.streamrepeater.testkit.PostgresServer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One throwaway PostgreSQL cluster for all cluster tests of the test run, started on first use and stopped when
 * JUnit closes its root context. Each test gets a database of its own from {@link #newDatabaseUrl()}.
 */
final class SharedPostgres implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedPostgres.class);

    private ExtensionContext.Store rootStore;

    @Override
    public void beforeAll(ExtensionContext context) {
        rootStore = context.getRoot().getStore(NAMESPACE);
    }

    /** @return the JDBC URL of a new, empty database on the shared cluster (started now if need be) */
    String newDatabaseUrl() {
        return server().createDatabase();
    }

    PostgresServer server() {
        if (rootStore == null) {
            throw new IllegalStateException("SharedPostgres is used before JUnit's beforeAll; register it as a static"
                    + " @RegisterExtension field");
        }
        return rootStore.getOrComputeIfAbsent(
                PostgresServer.class, type -> PostgresServer.start(), PostgresServer.class);
    }
}
