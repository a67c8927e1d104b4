package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrepeater.testkit.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What the remote CLI commands say when the server cannot be used (issue 16): one line that names the address and
 * says what to check, exit code 1, and never a wait without end.
 */
class RemoteCommandErrorsTest {

    /** Exit code and standard error of a CLI command run in-process. */
    private record Outcome(int code, String err) {}

    private static synchronized Outcome run(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new Main()).execute(args);
            return new Outcome(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void noServerListeningSaysSoAndHowToPointTheCliElsewhere() {
        int port = FreePorts.loopback();
        Outcome o = run("status", "--server", "http://127.0.0.1:" + port, "--token", "t");
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err())
                .contains("cannot connect to http://127.0.0.1:" + port + ": nothing listens there")
                .contains("--server")
                .contains("STREAM_REPEATER_SERVER")
                .doesNotContain("null");
    }

    @Test
    void anAddressWithoutSchemeIsTakenAsHttp() {
        int port = FreePorts.loopback();
        Outcome o = run("status", "--server", "127.0.0.1:" + port, "--token", "t");
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err()).contains("cannot connect to http://127.0.0.1:" + port);
        assertThat(ApiClient.baseUrl("relay.example.net:8080/")).isEqualTo("http://relay.example.net:8080");
        assertThat(ApiClient.baseUrl("https://relay.example.net")).isEqualTo("https://relay.example.net");
    }

    @Test
    void somethingThatIsNotAnHttpAddressIsRefusedWithTheRightSpelling() {
        Outcome o = run("status", "--server", "rtmp://127.0.0.1:1935", "--token", "t");
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err())
                .contains("--server 'rtmp://127.0.0.1:1935' is not an HTTP address: write it as http://HOST:PORT");
        assertThatThrownBy(() -> ApiClient.baseUrl("http://[bad")).hasMessageContaining("is not an HTTP address");
    }

    @Test
    void aPortThatNeverAnswersHttpEndsWithinTheTimeout() throws Exception {
        // a peer that accepts and then says nothing, like an RTMP port waiting for a handshake
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (!silent.isClosed()) {
                        accepted.add(silent.accept());
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Outcome o =
                    run("status", "--server", "127.0.0.1:" + silent.getLocalPort(), "--token", "t", "--timeout", "1");
            assertThat(o.code()).isEqualTo(1);
            assertThat(o.err())
                    .contains("no answer from http://127.0.0.1:" + silent.getLocalPort() + " within 1 s")
                    .contains("HTTP port")
                    .contains("--timeout");
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void theServerAddressCanComeFromTheEnvironment() {
        assertThat(RemoteOptions.defaultServer(Map.of(RemoteOptions.SERVER_ENV, "10.0.0.5:8080")))
                .isEqualTo("10.0.0.5:8080");
        assertThat(RemoteOptions.defaultServer(Map.of())).isEqualTo("http://127.0.0.1:8080");
    }

    @Test
    void applyOfAMissingFileSaysTheFileIsMissing(@TempDir Path tmp) {
        Path missing = tmp.resolve("missing.yaml");
        Outcome o = run(
                "apply",
                "-f",
                missing.toString(),
                "--server",
                "http://127.0.0.1:" + FreePorts.loopback(),
                "--token",
                "t");
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err()).contains("cannot read " + missing + ": no such file");
    }
}
