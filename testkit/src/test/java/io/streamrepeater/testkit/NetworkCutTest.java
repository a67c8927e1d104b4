package io.streamrepeater.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The cut against real sockets: a process in the cut cgroup cannot reach a loopback listener, then can again. */
class NetworkCutTest {

    @Test
    void aProcessInTheCutCgroupReachesNothingUntilHealedAndOthersAreNotTouched() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
                NetworkCut cut = NetworkCut.create()) {
            // bash's /dev/tcp: one connect, bounded by timeout(1)
            List<String> connect =
                    List.of("timeout", "2", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + listener.getLocalPort());
            assertThat(exitOf(cut.wrap(connect))).as("before the cut").isZero();

            cut.cut();
            assertThat(exitOf(cut.wrap(connect)))
                    .as("a connect from the cgroup times out (timeout(1) exits with 124)")
                    .isEqualTo(124);
            assertThat(exitOf(connect))
                    .as("a process outside the cgroup is not cut")
                    .isZero();

            cut.heal();
            assertThat(exitOf(cut.wrap(connect))).as("healed").isZero();
        }
    }

    private static int exitOf(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("still running after 10 s: " + command);
        }
        return p.exitValue();
    }
}
