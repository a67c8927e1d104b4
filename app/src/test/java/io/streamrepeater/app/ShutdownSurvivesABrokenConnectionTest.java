package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import io.streamrepeater.testkit.FreePorts;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop must end even when one of its steps breaks: an encoder connection that throws when asked for its address
 * (an Error, as a class that fails to load would) is logged and skipped; the listener closes, the stop returns, and
 * a second stop (the shutdown hook after a signal) returns too instead of waiting forever.
 */
class ShutdownSurvivesABrokenConnectionTest {
    @TempDir
    Path dir;

    /** What a step of the stop throws here. */
    private static final class InjectedFailure extends Error {
        InjectedFailure() {
            super("injected by the test");
        }
    }

    @Test
    void aBrokenConnectionIsSkippedAndEveryStopReturns() throws Exception {
        Path config = dir.resolve("stream-repeater.yaml");
        Files.writeString(
                config, "channels:\n  - name: show\n    inputs:\n      - { name: primary, key: show-key-000001 }\n");
        int port = FreePorts.loopback();
        Server server =
                Server.start(new ServerOptions(config, dir.resolve("data"), port, 0, null, null).withSrtPort(0));
        server.ingest().connectionGroup().add(new EmbeddedChannel() {
            @Override
            public SocketAddress remoteAddress() {
                throw new InjectedFailure();
            }
        });

        boolean clean = CompletableFuture.supplyAsync(server::stop).get(30, TimeUnit.SECONDS);
        boolean again = CompletableFuture.supplyAsync(server::stop).get(10, TimeUnit.SECONDS);

        assertThat(clean).as("every other step finished in time").isTrue();
        assertThat(again).isEqualTo(clean);
        assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", port), 1_000))
                .as("the RTMP listener is closed")
                .isInstanceOf(java.io.IOException.class);
    }
}
