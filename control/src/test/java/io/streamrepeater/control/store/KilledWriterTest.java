package io.streamrepeater.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.control.config.ChannelConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A process that writes the configuration is killed with SIGKILL at a random moment of a burst of writes;
 * the store it leaves holds one complete version of the channel (the last one acknowledged, or the one in
 * flight), never a mix of two.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(StoreBackend.class)
class KilledWriterTest {

    @RegisterExtension
    static final SharedPostgres POSTGRES = new SharedPostgres();

    private static final int ROUNDS = 3;
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    @Parameter
    StoreBackend backend;

    @TempDir
    Path tempDir;

    @Test
    void aWriterKilledMidBurstLeavesACompleteVersion() throws Exception {
        String jdbcUrl = backend.newJdbcUrl(tempDir, POSTGRES);
        Path keyDirectory = tempDir.resolve("keys");
        ChannelConfig neighbour = ConfigStoreTest.channel("neighbour", "neighbour-key");
        try (ConfigStore store = ConfigStore.open(jdbcUrl, keyDirectory)) {
            store.upsertChannel(neighbour);
        }
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        int nextVersion = 1;
        for (int round = 1; round <= ROUNDS; round++) {
            int killAfter = nextVersion + 5 + random.nextInt(60);
            Path output = tempDir.resolve("writer-" + round + ".out");
            Process writer = startWriter(jdbcUrl, keyDirectory, nextVersion, output);
            try {
                await("round " + round + " (seed " + seed + "): writer acknowledges version " + killAfter)
                        .atMost(CHILD_TIMEOUT)
                        .pollInterval(Duration.ofMillis(5))
                        .until(() -> lastAcknowledged(output) >= killAfter || !writer.isAlive());
                assertThat(writer.isAlive())
                        .as("writer still running before the kill; output:%n%s", read(output))
                        .isTrue();
                writer.destroyForcibly(); // SIGKILL
                assertThat(writer.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                        .as("writer gone")
                        .isTrue();
            } finally {
                writer.destroyForcibly();
            }
            int acknowledged = lastAcknowledged(output);

            try (ConfigStore store = ConfigStore.open(jdbcUrl, keyDirectory)) {
                ChannelConfig stored = store.channel(ChannelWriterLoop.CHANNEL).orElseThrow();
                int version = stored.failover().clearMs();
                assertThat(version)
                        .as("round %d (seed %d): stored version vs last acknowledged %d", round, seed, acknowledged)
                        .isBetween(acknowledged, acknowledged + 1);
                assertThat(stored)
                        .as("round %d (seed %d): version %d complete", round, seed, version)
                        .isEqualTo(ChannelWriterLoop.version(version));
                assertThat(store.channels())
                        .as("the other channel is untouched")
                        .containsExactly(neighbour, ChannelWriterLoop.version(version));
                nextVersion = version + 1;
            }
        }
    }

    private Process startWriter(String jdbcUrl, Path keyDirectory, int firstVersion, Path output) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        ChannelWriterLoop.class.getName(),
                        jdbcUrl,
                        keyDirectory.toString(),
                        Integer.toString(firstVersion),
                        Integer.toString(firstVersion + 100_000))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
    }

    private static int lastAcknowledged(Path output) {
        String text = read(output);
        // only whole lines: the writer may be killed, or read, in the middle of one
        List<String> acknowledgements = text.substring(0, text.lastIndexOf('\n') + 1)
                .lines()
                .filter(line -> line.startsWith(ChannelWriterLoop.COMMITTED))
                .toList();
        if (acknowledgements.isEmpty()) {
            return 0;
        }
        String last = acknowledgements.get(acknowledgements.size() - 1);
        return Integer.parseInt(
                last.substring(ChannelWriterLoop.COMMITTED.length()).strip());
    }

    private static String read(Path output) {
        try {
            return Files.exists(output) ? Files.readString(output) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
