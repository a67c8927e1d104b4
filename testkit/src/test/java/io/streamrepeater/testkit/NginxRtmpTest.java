package io.streamrepeater.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NginxRtmpTest {

    @TempDir
    Path workDir;

    @Test
    void startsStopsAndStartsAgainOnTheSamePort() throws IOException {
        try (NginxRtmp nginx = NginxRtmp.start(workDir)) {
            int port = nginx.port();
            assertThat(accepts(port)).isTrue();

            nginx.stop();
            assertThat(nginx.isRunning()).isFalse();
            assertThat(accepts(port)).isFalse();

            nginx.start();
            assertThat(nginx.port()).isEqualTo(port);
            assertThat(accepts(port)).isTrue();
        }
        assertThat(Files.readString(workDir.resolve("nginx.conf")))
                .contains(
                        "load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;",
                        "record_unique on;",
                        "exec_publish_done /bin/sh",
                        "listen 127.0.0.1:");
    }

    @Test
    void closeLeavesNoProcessBehind() {
        NginxRtmp nginx = NginxRtmp.start(workDir);
        int port = nginx.port();

        nginx.close();

        assertThat(nginx.isRunning()).isFalse();
        assertThat(accepts(port)).isFalse();
    }

    @Test
    void urlsNameLoopbackAndTheConfiguredApplication() {
        try (NginxRtmp nginx =
                NginxRtmp.builder(workDir).withTls().withApplications("backup").start()) {
            assertThat(nginx.rtmpUrl("live", "key")).isEqualTo("rtmp://127.0.0.1:" + nginx.port() + "/live/key");
            assertThat(nginx.rtmpUrl("backup", "key")).endsWith("/backup/key");
            assertThat(nginx.rtmpsUrl("live", "key")).isEqualTo("rtmps://localhost:" + nginx.tlsPort() + "/live/key");
            assertThat(accepts(nginx.tlsPort())).isTrue();
            assertThat(nginx.caCertFile()).exists();
            assertThatThrownBy(() -> nginx.rtmpUrl("other", "key"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no application 'other'");
        }
    }

    @Test
    void withoutTlsThereIsNoTlsPort() {
        try (NginxRtmp nginx = NginxRtmp.start(workDir)) {
            assertThatThrownBy(nginx::tlsPort)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("withTls");
        }
    }

    @Test
    void aRestartOnATakenPortFailsWithNginxsErrorLog() throws IOException {
        try (NginxRtmp nginx = NginxRtmp.start(workDir)) {
            nginx.stop();
            try (ServerSocket squatter = new ServerSocket(nginx.port(), 1, InetAddress.getLoopbackAddress())) {
                assertThatThrownBy(nginx::start)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("--- error.log ---")
                        .hasMessageContaining("Address already in use");
            }
            assertThat(nginx.isRunning()).isFalse();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
