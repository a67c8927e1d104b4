package io.streamrepeater.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.testkit.PostgresServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ConfigChangeListener} against a real PostgreSQL of its own (the tests stop and start it): what a store
 * commits is heard, with the channel's name; what it rolls back is not; the listener outlives a restart of the
 * database and re-reads everything when it listens again.
 */
class ConfigChangeListenerTest {
    /** Long enough that no periodic re-read comes in the middle of a test that does not ask for one. */
    private static final Duration NO_PERIODIC_RESYNC = Duration.ofMinutes(10);

    private static PostgresServer postgres;

    private final SecretCipher secrets = SecretCipher.of(SecretCipherTest.randomKey(), "test key");

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** What the listener said, in order: "changed NAME" or "resync REASON". */
    private static final class Heard implements ConfigChangeListener.Changes {
        final BlockingQueue<String> calls = new LinkedBlockingQueue<>();

        @Override
        public void changed(String channel) {
            calls.add("changed " + channel);
        }

        @Override
        public void resync(String reason) {
            calls.add("resync " + reason);
        }

        /** The next call, waiting at most 20 s. */
        String next() throws InterruptedException {
            String call = calls.poll(20, TimeUnit.SECONDS);
            assertThat(call).as("a call of the listener within 20 s").isNotNull();
            return call;
        }
    }

    @Test
    void everyCommittedChangeIsHeardWithItsChannelNameAndARolledBackOneIsNot() throws Exception {
        String url = postgres.createDatabase();
        Heard heard = new Heard();
        try (ConfigStore store = ConfigStore.open(url, secrets);
                ConfigChangeListener listener =
                        ConfigChangeListener.start(url, heard, NO_PERIODIC_RESYNC, "test-listener")) {
            assertThat(heard.next()).isEqualTo("resync listening");
            assertThat(listener.listening()).isTrue();

            store.upsertChannel(ConfigStoreTest.channel("show", "show-key"));
            assertThat(heard.next()).isEqualTo("changed show");

            store.upsertChannel(ConfigStoreTest.channel("other", "other-key"));
            assertThat(heard.next()).isEqualTo("changed other");

            // refused by the store (a key of channel show): rolled back, so nobody hears of it
            ChannelConfig clash = ConfigStoreTest.channel("clash", "show-key");
            assertThatThrownBy(() -> store.upsertChannel(clash)).isInstanceOf(IllegalArgumentException.class);
            assertThat(store.deleteChannel("other")).isTrue();
            assertThat(heard.next()).as("the next change after the refused one").isEqualTo("changed other");

            assertThat(store.deleteChannel("no-such-channel")).isFalse();
            store.replaceChannels(List.of(ConfigStoreTest.channel("third", "third-key")));
            assertThat(heard.next())
                    .as("a deletion that deleted nothing is not announced")
                    .isEqualTo("resync all-channels");
            assertThat(heard.calls).isEmpty();
        }
    }

    @Test
    void theListenerSurvivesADatabaseRestartAndReReadsEverythingWhenItListensAgain() throws Exception {
        String url = postgres.createDatabase();
        Heard heard = new Heard();
        try (ConfigStore store = ConfigStore.open(url, secrets);
                ConfigChangeListener listener =
                        ConfigChangeListener.start(url, heard, NO_PERIODIC_RESYNC, "test-listener")) {
            assertThat(heard.next()).isEqualTo("resync listening");
            store.upsertChannel(ConfigStoreTest.channel("before", "before-key"));
            assertThat(heard.next()).isEqualTo("changed before");

            postgres.stop();
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> !listener.listening());
            } finally {
                postgres.startAgain();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> listener.connections() == 2 && listener.listening());
            assertThat(heard.next())
                    .as("what changed while nobody listened was announced to nobody: everything is re-read")
                    .isEqualTo("resync listening");

            store.upsertChannel(ConfigStoreTest.channel("after", "after-key"));
            assertThat(heard.next()).isEqualTo("changed after");
        }
    }

    @Test
    void everythingIsReReadPeriodicallyAndSoonAfterACallbackFailed() throws Exception {
        String url = postgres.createDatabase();
        BlockingQueue<String> calls = new LinkedBlockingQueue<>();
        ConfigChangeListener.Changes failingOnce = new ConfigChangeListener.Changes() {
            private boolean failed;

            @Override
            public void changed(String channel) {
                calls.add("changed " + channel);
                if (!failed) {
                    failed = true;
                    throw new IllegalStateException("the store does not answer (simulated)");
                }
            }

            @Override
            public void resync(String reason) {
                calls.add("resync " + reason);
            }
        };
        try (ConfigStore store = ConfigStore.open(url, secrets);
                ConfigChangeListener listener =
                        ConfigChangeListener.start(url, failingOnce, NO_PERIODIC_RESYNC, "test-listener")) {
            assertThat(calls.poll(20, TimeUnit.SECONDS)).isEqualTo("resync listening");
            store.upsertChannel(ConfigStoreTest.channel("show", "show-key"));
            assertThat(calls.poll(20, TimeUnit.SECONDS)).isEqualTo("changed show");
            assertThat(calls.poll(20, TimeUnit.SECONDS))
                    .as("a failed callback brings a full re-read forward")
                    .isEqualTo("resync retry");
        }
        BlockingQueue<String> periodic = new LinkedBlockingQueue<>();
        try (ConfigChangeListener listener = ConfigChangeListener.start(
                url,
                new ConfigChangeListener.Changes() {
                    @Override
                    public void changed(String channel) {
                        periodic.add("changed " + channel);
                    }

                    @Override
                    public void resync(String reason) {
                        periodic.add("resync " + reason);
                    }
                },
                Duration.ofMillis(200),
                "test-listener")) {
            assertThat(periodic.poll(20, TimeUnit.SECONDS)).isEqualTo("resync listening");
            assertThat(periodic.poll(20, TimeUnit.SECONDS)).isEqualTo("resync periodic");
            assertThat(periodic.poll(20, TimeUnit.SECONDS)).isEqualTo("resync periodic");
        }
    }

    @Test
    void onlyAPostgresqlStoreCanBeListenedTo() {
        assertThatThrownBy(() -> ConfigChangeListener.start(
                        "jdbc:sqlite:/tmp/x.db", new Heard(), NO_PERIODIC_RESYNC, "test-listener"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PostgreSQL");
    }
}
