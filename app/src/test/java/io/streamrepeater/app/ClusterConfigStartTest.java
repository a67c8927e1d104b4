package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.streamrepeater.control.config.ClusterConfig;
import io.streamrepeater.control.config.ConfigException;
import io.streamrepeater.control.config.ConfigLoader;
import io.streamrepeater.control.config.ConfigWriter;
import io.streamrepeater.control.config.ServerConfig;
import io.streamrepeater.control.store.ConfigStore;
import io.streamrepeater.testkit.FreePorts;
import io.streamrepeater.testkit.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code server.cluster} at start: refused on the SQLite store, whichever way the database was (not) given, with the
 * file, line and column of the {@code cluster} key; on PostgreSQL from {@code server.database} the server starts on
 * that store and exports the same server section again.
 */
class ClusterConfigStartTest {
    /** The {@code cluster} key is on line 5, column 3. */
    private static final String CLUSTER = """
            server:
              rtmpPort: 0
              httpPort: 0
              srtPort: 0
              cluster:
                node: node-a
                address: 127.0.0.11
                leaseMs: 2000
            """;

    private static final String CHANNEL = """
            channels:
              - name: show
                inputs:
                  - { name: primary, key: primary-key-cluster-01 }
            """;

    @Test
    void aClusterOnTheEmbeddedStoreIsRefusedAtTheClusterKey(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("node-a.yaml"), CLUSTER + CHANNEL);
        Path data = tmp.resolve("data");

        ConfigException refused = catchThrowableOfType(
                ConfigException.class, () -> Server.start(new ServerOptions(file, data, null, null, null, null)));

        assertThat(refused).isNotNull();
        assertThat(refused.getMessage())
                .startsWith(file + ":5:3: server.cluster needs a PostgreSQL store shared by every node, but the store"
                        + " is the embedded SQLite store in the data directory")
                .contains("give server.database or --database a jdbc:postgresql://");
        assertThat(data.resolve(ConfigStore.SQLITE_FILE_NAME))
                .as("refused before a store is made")
                .doesNotExist();
    }

    @Test
    void aClusterOnAnSqliteDatabaseFromTheCommandLineIsRefusedAtTheClusterKey(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("node-a.yaml"), CLUSTER + CHANNEL);
        String sqlite = "jdbc:sqlite:" + tmp.resolve("store.db");

        ConfigException refused = catchThrowableOfType(
                ConfigException.class,
                () -> Server.start(new ServerOptions(file, tmp.resolve("data"), null, null, null, sqlite)));

        assertThat(refused).isNotNull();
        assertThat(refused.getMessage())
                .startsWith(file + ":5:3: server.cluster needs a PostgreSQL store")
                .contains("'" + sqlite + "' (--database), which is not PostgreSQL");
        assertThat(tmp.resolve("store.db")).doesNotExist();
    }

    @Test
    void theFilesPostgresqlDatabaseIsTheStoreAndTheExportStartsTheSameServer(@TempDir Path tmp) throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            // trust authentication: the password is not checked, but it is a secret of the file all the same
            String database = postgres.jdbcUrl() + "&password=s3cret-pw";
            int rtmp = FreePorts.loopback();
            Path file = Files.writeString(
                    tmp.resolve("node-a.yaml"),
                    CLUSTER.replace("rtmpPort: 0", "rtmpPort: " + rtmp)
                                    .replace(
                                            "server:\n",
                                            "server:\n  database: \"" + database + "\"\n  bind: 127.0.0.1\n")
                            + CHANNEL);
            Path data = tmp.resolve("data");
            Server server = Server.start(new ServerOptions(file, data, null, null, null, null));
            try {
                assertThat(postgres.psql("SELECT string_agg(name, ',') FROM channels"))
                        .as("the channels of the file went to the file's database")
                        .isEqualTo("show");
                assertThat(data.resolve(ConfigStore.SQLITE_FILE_NAME)).doesNotExist();

                ServerConfig inForce = server.currentConfig().server();
                assertThat(inForce.database()).isEqualTo(database);
                assertThat(inForce.bind()).isEqualTo("127.0.0.1");
                assertThat(inForce.cluster()).isEqualTo(new ClusterConfig("node-a", "127.0.0.11", 1937, 2000));

                String masked = ConfigWriter.toYaml(server.currentConfig(), ConfigWriter.Secrets.MASK);
                assertThat(masked).doesNotContain("s3cret-pw").contains("password=****");
                Path exported =
                        Files.writeString(tmp.resolve("exported.yaml"), ConfigWriter.toYaml(server.currentConfig()));
                assertThat(ConfigLoader.load(exported)).isEqualTo(server.currentConfig());
            } finally {
                server.stop();
            }
        }
    }
}
