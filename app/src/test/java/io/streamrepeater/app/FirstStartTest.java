package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrepeater.control.store.ConfigStore;
import io.streamrepeater.testkit.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first start and the way back in (issue 16): a first start that fails (its port is busy) keeps nothing, so the
 * next one prints the banner with the keys and the admin token; the owner of the machine can replace a lost token
 * ({@code admin-token --reset}) and read an input's key ({@code keys show}) from the data directory.
 */
class FirstStartTest {
    private static final Pattern TOKEN = Pattern.compile("Admin token: (\\S+)");

    private static ServerOptions options(Path dataDir, int rtmpPort) {
        return new ServerOptions(null, dataDir, rtmpPort, 0, null, null, null, null, null, 0);
    }

    /** Runs {@code action} and returns what it printed on standard output. */
    private static synchronized <T> String printed(Callable<T> action) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            action.call();
        } finally {
            System.setOut(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aFirstStartOnABusyPortKeepsNothingAndTheNextStartPrintsTheBanner(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String failed = printed(() -> {
                assertThatThrownBy(() -> Server.start(options(data, busy.getLocalPort())))
                        .isInstanceOf(StartupException.class)
                        .hasMessageContaining(Integer.toString(busy.getLocalPort()));
                return null;
            });
            assertThat(failed).as("no banner for a start that failed").doesNotContain("Admin token");
        }
        Server[] started = new Server[1];
        String banner = printed(() -> started[0] = Server.start(options(data, FreePorts.loopback())));
        try {
            assertThat(banner)
                    .contains("Stream Repeater is running for the first time")
                    .contains("channel main");
            Matcher token = TOKEN.matcher(banner);
            assertThat(token.find())
                    .as("the admin token is printed: %s", banner)
                    .isTrue();
            try (ConfigStore store = ConfigStore.openInDataDirectory(data)) {
                assertThat(store.verifyAdminToken(token.group(1))).isTrue();
            }
        } finally {
            started[0].stop();
        }
        // a normal start prints where the dashboard and the ingest are, and no key
        int http = FreePorts.loopback();
        int rtmp = FreePorts.loopback();
        String normal = printed(() ->
                started[0] = Server.start(new ServerOptions(null, data, rtmp, http, null, null, null, null, null, 0)));
        try {
            assertThat(normal)
                    .contains("Stream Repeater is running: 1 channel")
                    .contains("rtmp://HOST:" + rtmp + "/live/STREAM-KEY")
                    .contains("dashboard http://HOST:" + http + "/")
                    .doesNotContain("Admin token:");
        } finally {
            started[0].stop();
        }
    }

    @Test
    void theOwnerOfTheMachineCanReplaceALostTokenAndReadAnInputsKey(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        Server server = Server.start(options(data, FreePorts.loopback()));
        try {
            String reset = Cli.run("admin-token", "--reset", "--data-dir", data.toString());
            Matcher token = Pattern.compile("shown only once; the old one no longer works\\): (\\S+)")
                    .matcher(reset);
            assertThat(token.find()).as(reset).isTrue();
            try (ConfigStore store = ConfigStore.openInDataDirectory(data)) {
                assertThat(store.verifyAdminToken(token.group(1)))
                        .as("the running server's store has the new token")
                        .isTrue();
                String key = store.load(io.streamrepeater.control.config.ServerConfig.defaults())
                        .channels()
                        .get(0)
                        .inputs()
                        .get(1)
                        .key();
                assertThat(Cli.run("keys", "show", "main", "backup", "--data-dir", data.toString()))
                        .contains("stream key of main/backup: " + key)
                        .contains("/live/" + key);
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void aLocalCommandRefusesADirectoryThatIsNotAServers(@TempDir Path tmp) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new picocli.CommandLine(new Main())
                    .execute(
                            "admin-token",
                            "--reset",
                            "--data-dir",
                            tmp.resolve("nope").toString());
        } finally {
            System.setErr(saved);
        }
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no Stream Repeater data directory at");
        assertThat(tmp.resolve("nope")).doesNotExist();
    }
}
