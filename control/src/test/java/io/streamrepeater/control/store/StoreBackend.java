package io.streamrepeater.control.store;

import java.nio.file.Path;

/** The databases the store tests run against; each test opens a new, empty store. */
enum StoreBackend {
    SQLITE {
        @Override
        String newJdbcUrl(Path tempDir, SharedPostgres postgres) {
            return "jdbc:sqlite:" + tempDir.resolve("store").resolve(ConfigStore.SQLITE_FILE_NAME);
        }
    },
    POSTGRESQL {
        @Override
        String newJdbcUrl(Path tempDir, SharedPostgres postgres) {
            return postgres.newDatabaseUrl();
        }
    };

    /**
     * @param tempDir the test's own directory (SQLite puts its file in a sub-directory, which the store creates)
     * @param postgres the shared cluster (PostgreSQL creates a database in it)
     * @return the JDBC URL of an empty store
     */
    abstract String newJdbcUrl(Path tempDir, SharedPostgres postgres);
}
