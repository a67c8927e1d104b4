package io.streamrepeater.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PostgresServerTest {

    @Test
    void startsAClusterOnLoopbackThatAnswersQueriesAndIsGoneAfterClose() {
        Path directory;
        int port;
        try (PostgresServer server = PostgresServer.start()) {
            directory = server.directory();
            port = server.port();
            assertThat(server.isRunning()).isTrue();
            assertThat(acceptsOnLoopback(port)).isTrue();
            assertThat(server.psql("SELECT 40 + 2")).isEqualTo("42");
            assertThat(server.psql("SHOW listen_addresses")).isEqualTo("127.0.0.1");
            assertThat(server.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres");

            String first = server.createDatabase();
            String second = server.createDatabase();
            assertThat(first).isNotEqualTo(second).startsWith("jdbc:postgresql://127.0.0.1:" + port + "/test_");
            String name = first.substring(first.lastIndexOf('/') + 1, first.indexOf('?'));
            assertThat(server.psql("SELECT count(*) FROM pg_database WHERE datname = '" + name + "'"))
                    .isEqualTo("1");
        }
        assertThat(acceptsOnLoopback(port)).as("port %d after close", port).isFalse();
        assertThat(Files.exists(directory)).as("cluster directory after close").isFalse();
    }

    @Test
    void aFailedCommandReportsPsqlsMessage() {
        try (PostgresServer server = PostgresServer.start()) {
            assertThatThrownBy(() -> server.psql("SELECT * FROM no_such_table"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("psql exited with")
                    .hasMessageContaining("no_such_table");
        }
    }

    private static boolean acceptsOnLoopback(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
