package io.streamrepeater.control.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code server.database}, {@code server.bind} and {@code server.cluster} (issue 19's contract): read, checked,
 * written back. The mistakes with their line and column are rows of {@link ConfigLoaderErrorsTest}.
 */
class ClusterConfigTest {
    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/streamrepeater?user=sr&password=s3cret-pw";

    private static final String NODE_A = """
            server:
              bind: 127.0.0.11
              database: "%s"
              cluster:
                node: node-a
                address: 10.0.0.11
                clusterPort: 1947
                leaseMs: 2000
            """.formatted(POSTGRES);

    private static final String CHANNELS = """
            channels:
              - name: show
                inputs:
                  - { name: primary, key: long-random-secret-1 }
                  - { name: backup, key: long-random-secret-2 }
                destinations:
                  - { name: youtube, url: "rtmp://a.rtmp.youtube.com/live2/STREAM-KEY" }
            """;

    @Test
    void aClusterBlockIsReadWithTheDatabaseAndTheBindAddress() {
        ServerConfig server = ConfigLoader.parse(NODE_A, "node-a.yaml").server();

        assertThat(server.cluster()).isEqualTo(new ClusterConfig("node-a", "10.0.0.11", 1947, 2000));
        assertThat(server.cluster().linked()).isTrue();
        assertThat(server.database()).isEqualTo(POSTGRES);
        assertThat(server.bind()).isEqualTo("127.0.0.11");
        // the key itself, not its value: what a start-time refusal names
        assertThat(server.cluster().declaredAt()).isEqualTo(new ConfigPosition("node-a.yaml", 4, 3));
    }

    @Test
    void clusterPortAndLeaseHaveTheContractsDefaults() {
        ClusterConfig cluster = ConfigLoader.parse(
                        "server:\n  cluster: { node: b, address: relay-b.example.net }\n", "b.yaml")
                .server()
                .cluster();

        assertThat(cluster.clusterPort()).isEqualTo(1937);
        assertThat(cluster.leaseMs()).isEqualTo(3000);
        assertThat(cluster.address()).isEqualTo("relay-b.example.net");
    }

    @Test
    void clusterPortZeroMeansNotLinked() {
        ClusterConfig cluster = ConfigLoader.parse(
                        "server:\n  cluster: { node: c, address: 10.0.0.13, clusterPort: 0 }\n", "c.yaml")
                .server()
                .cluster();

        assertThat(cluster.linked()).isFalse();
    }

    @Test
    void withoutTheNewKeysTheServerIsOneNodeOnTheEmbeddedStoreOnEveryInterface() {
        ServerConfig server =
                ConfigLoader.parse("server: { rtmpPort: 1935 }\n", "one.yaml").server();

        assertThat(server.cluster()).isNull();
        assertThat(server.database()).isNull();
        assertThat(server.bind()).isNull();
        assertThat(ServerConfig.defaults().cluster()).isNull();
    }

    @Test
    void bindTakesIpLiteralsAndLocalhostOnly() {
        for (String good : List.of("127.0.0.2", "0.0.0.0", "::1", "::", "fe80::1", "2001:db8::7", "localhost")) {
            assertThat(ServerConfig.requireBind(good)).isEqualTo(good);
        }
        for (String bad : List.of("relay.example.net", "[::1]", "256.0.0.1", "127.0.0", "::1%lo", "", "local host")) {
            assertThatThrownBy(() -> ServerConfig.requireBind(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must be an IP address");
        }
    }

    @Test
    void aClusterWithoutADatabaseInTheFileIsLeftToTheStartWhichNamesTheClusterKey() {
        // the database may come from --database: the file alone is not refused
        ServerConfig server = ConfigLoader.parse(
                        "server:\n  httpPort: 8081\n  cluster:\n    node: a\n    address: 10.0.0.11\n", "a.yaml")
                .server();

        assertThatThrownBy(() -> server.cluster().requirePostgresql(null, "server.database"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("a.yaml:3:3: server.cluster needs a PostgreSQL store shared by every node, but the store"
                        + " is the embedded SQLite store in the data directory (no server.database or --database"
                        + " given); give server.database or --database a jdbc:postgresql://HOST/DATABASE?user=... URL,"
                        + " or remove server.cluster to run a single node");
        assertThatThrownBy(() -> server.cluster().requirePostgresql("jdbc:sqlite:/tmp/x.db", "--database"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("a.yaml:3:3: server.cluster needs a PostgreSQL store")
                .hasMessageContaining("'jdbc:sqlite:/tmp/x.db' (--database), which is not PostgreSQL");
        server.cluster().requirePostgresql(POSTGRES, "--database"); // accepted
    }

    @Test
    void theWholeServerSectionSurvivesAnExportRoundTrip() {
        StreamRepeaterConfig config = ConfigLoader.parse(NODE_A + CHANNELS, "node-a.yaml");

        String yaml = ConfigWriter.toYaml(config);
        StreamRepeaterConfig again = ConfigLoader.parse(yaml, "exported.yaml");

        assertThat(again).isEqualTo(config);
        assertThat(again.channels()).hasSize(1);
        assertThat(again.server().cluster()).isEqualTo(new ClusterConfig("node-a", "10.0.0.11", 1947, 2000));
        assertThat(yaml).contains("  database: " + POSTGRES + "\n").contains("  bind: 127.0.0.11\n");
    }

    @Test
    void aMaskedExportHidesTheDatabasePasswordAndIsRefusedOnLoad() {
        StreamRepeaterConfig config = ConfigLoader.parse(NODE_A, "node-a.yaml");

        String masked = ConfigWriter.toYaml(config, ConfigWriter.Secrets.MASK);

        assertThat(masked)
                .doesNotContain("s3cret-pw")
                .contains("jdbc:postgresql://127.0.0.1:5432/streamrepeater?user=sr&password=****")
                .contains("node: node-a");
        assertThatThrownBy(() -> ConfigLoader.parse(masked, "masked.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'database' in server holds a masked secret (****)");
    }

    @Test
    void aPasswordInTheAuthorityIsMaskedToo() {
        ServerConfig server = ServerConfig.defaults()
                .withDatabase("jdbc:postgresql://sr:s3cret-pw@db.example.net/sr?sslpassword=k3y-pw&ssl=true");

        String masked = ConfigWriter.toYaml(new StreamRepeaterConfig(server, List.of()), ConfigWriter.Secrets.MASK);

        assertThat(masked)
                .doesNotContain("s3cret-pw")
                .doesNotContain("k3y-pw")
                .contains("jdbc:postgresql://sr:****@db.example.net/sr?sslpassword=****&ssl=true");
        assertThat(server.toString()).doesNotContain("s3cret-pw").doesNotContain("k3y-pw");
    }

    @Test
    void aSingleNodeExportWritesNoClusterDatabaseOrBind() {
        String yaml = ConfigWriter.toYaml(new StreamRepeaterConfig(ServerConfig.defaults(), List.of()));

        assertThat(yaml)
                .doesNotContain("  cluster:")
                .doesNotContain("  database:")
                .doesNotContain("  bind:");
    }

    @Test
    void recordsBuiltInCodeKeepTheSameRules() {
        assertThatThrownBy(() -> new ClusterConfig("Node-A", "10.0.0.11", 1937, 3000))
                .hasMessage("node name 'Node-A' must match [a-z0-9-]+");
        assertThatThrownBy(() -> new ClusterConfig("a", "10.0.0.11", 1937, 999))
                .hasMessage("leaseMs 999 is outside 1000..30000");
        assertThatThrownBy(() -> ServerConfig.defaults().withCluster(new ClusterConfig("a", "10.0.0.11", 8080, 3000)))
                .hasMessage("clusterPort 8080 is already used by httpPort; TCP ports must differ");
        assertThatThrownBy(() -> ServerConfig.defaults()
                        .withDatabase("jdbc:sqlite:/tmp/x.db")
                        .withCluster(new ClusterConfig("a", "10.0.0.11", 1937, 3000)))
                .hasMessageContaining("server.cluster needs a PostgreSQL database");
        // positions are not part of the setting
        assertThat(new ClusterConfig("a", "h", 1937, 3000, new ConfigPosition("x.yaml", 3, 3)))
                .isEqualTo(new ClusterConfig("a", "h", 1937, 3000))
                .hasSameHashCodeAs(new ClusterConfig("a", "h", 1937, 3000));
    }
}
