package io.streamrepeater.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The lease and heartbeat statements on a real PostgreSQL, two nodes each with its own store (connections). */
class PostgresClusterStoreTest {
    @RegisterExtension
    static final SharedPostgres POSTGRES = new SharedPostgres();

    private static final Duration STATEMENT_TIMEOUT = Duration.ofMillis(500);
    private static final Duration BOUND = Duration.ofSeconds(10);

    private String url;
    private PostgresClusterStore a;
    private PostgresClusterStore b;

    @BeforeEach
    void open() {
        url = POSTGRES.newDatabaseUrl();
        a = PostgresClusterStore.open(url, STATEMENT_TIMEOUT);
        b = PostgresClusterStore.open(url, STATEMENT_TIMEOUT);
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    @Test
    void twoNodesContendExactlyOneGetsItAndKeepsItWhileRenewing() {
        Optional<Lease> first = a.acquire("show", "a", 1000);
        Optional<Lease> second = b.acquire("show", "b", 1000);

        assertThat(first).hasValueSatisfying(lease -> {
            assertThat(lease.owner()).isEqualTo("a");
            assertThat(lease.epoch()).isEqualTo(1);
            assertThat(lease.remainingMs()).isBetween(900L, 1000L);
        });
        assertThat(second).isEmpty();

        // for three leases' time, a renews every third of the lease and b never gets it
        await().pollInterval(Duration.ofMillis(333))
                .during(Duration.ofMillis(3000))
                .atMost(BOUND)
                .until(() -> a.renew("show", "a", 1, 1000).isPresent()
                        && b.acquire("show", "b", 1000).isEmpty());
        assertThat(b.leases()).singleElement().satisfies(lease -> {
            assertThat(lease.owner()).isEqualTo("a");
            assertThat(lease.epoch()).isEqualTo(1);
            assertThat(lease.held()).isTrue();
        });
    }

    @Test
    void anExpiredLeaseGoesToTheOtherNodeWithTheNextEpochAndTheOldTenureIsFenced() {
        long leaseMs = 600;
        LeaseFence aFence = new LeaseFence(leaseMs, 200, System::nanoTime);
        long aSent = aFence.beginAttempt();
        long aEpoch = a.acquire("show", "a", leaseMs).orElseThrow().epoch();
        aFence.confirmed(aSent, aEpoch);
        // a stops renewing (as if crashed); b tries until the database says the lease expired
        Lease taken = await().atMost(BOUND)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> b.acquire("show", "b", leaseMs), Optional::isPresent)
                .orElseThrow();
        long takenAt = System.nanoTime();

        assertThat(taken.owner()).isEqualTo("b");
        assertThat(taken.epoch()).isEqualTo(aEpoch + 1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(takenAt - aSent))
                .as("b got it no sooner than a lease after a's statement was sent")
                .isGreaterThanOrEqualTo(leaseMs);
        assertThat(a.renew("show", "a", aEpoch, leaseMs)).isEmpty();
        assertThat(a.acquire("show", "a", leaseMs)).isEmpty();
        assertThat(aFence.mayWrite()).isFalse();
        assertThat(aFence.writableUntilNanos().orElseThrow()).isLessThan(takenAt);
    }

    @Test
    void manyRacesOneWinnerEachAndEpochsStrictlyIncreasing() throws Exception {
        int channels = 10;
        int rounds = 5;
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService racers = Executors.newFixedThreadPool(2);
        try {
            for (int c = 0; c < channels; c++) {
                String channel = "race-" + c;
                long lastEpoch = 0;
                for (int round = 0; round < rounds; round++) {
                    Future<Optional<Lease>> fromA = racers.submit(() -> race(start, a, channel, "a"));
                    Future<Optional<Lease>> fromB = racers.submit(() -> race(start, b, channel, "b"));
                    List<Lease> winners = new ArrayList<>();
                    fromA.get(10, TimeUnit.SECONDS).ifPresent(winners::add);
                    fromB.get(10, TimeUnit.SECONDS).ifPresent(winners::add);

                    assertThat(winners).as("%s round %d", channel, round).hasSize(1);
                    Lease winner = winners.get(0);
                    assertThat(winner.epoch()).as("%s round %d", channel, round).isEqualTo(lastEpoch + 1);
                    lastEpoch = winner.epoch();
                    PostgresClusterStore winnerStore = winner.owner().equals("a") ? a : b;
                    assertThat(winnerStore.release(channel, winner.owner(), winner.epoch()))
                            .isTrue();
                }
            }
        } finally {
            racers.shutdownNow();
            assertThat(racers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(a.leases()).hasSize(channels).allSatisfy(lease -> {
            assertThat(lease.epoch()).isEqualTo(rounds);
            assertThat(lease.held()).isFalse();
        });
    }

    private static Optional<Lease> race(CyclicBarrier start, ClusterStore store, String channel, String node)
            throws Exception {
        start.await(10, TimeUnit.SECONDS);
        return store.acquire(channel, node, 60_000);
    }

    @Test
    void theOwnLiveLeaseKeepsItsEpochAndANewTenureTakesTheNext() {
        assertThat(a.acquire("show", "a", 5000)).map(Lease::epoch).hasValue(1L);
        assertThat(a.acquire("show", "a", 5000))
                .as("already a's")
                .map(Lease::epoch)
                .hasValue(1L);
        assertThat(a.release("show", "a", 1)).isTrue();
        assertThat(a.release("show", "a", 1)).as("released already").isFalse();
        assertThat(a.renew("show", "a", 1, 5000)).as("released tenure").isEmpty();
        assertThat(a.acquire("show", "a", 5000))
                .as("a new tenure, same node")
                .map(Lease::epoch)
                .hasValue(2L);
        assertThat(a.release("show", "a", 1))
                .as("an older tenure cannot release")
                .isFalse();
        assertThat(a.renew("show", "a", 2, 5000))
                .hasValueSatisfying(lease -> assertThat(lease.remainingMs()).isBetween(4900L, 5000L));
        assertThat(b.release("show", "b", 2)).as("not b's").isFalse();
        assertThat(b.leases()).singleElement().satisfies(lease -> {
            assertThat(lease.owner()).isEqualTo("a");
            assertThat(lease.epoch()).isEqualTo(2);
            assertThat(lease.held()).isTrue();
        });

        // a tenure that expired while nobody took it (its owner kept it through a store outage on its peers'
        // word) is renewed with the same epoch; once another node took it, never again
        assertThat(a.renew("show", "a", 2, 1)).isPresent();
        await().atMost(Duration.ofSeconds(5)).until(() -> !b.leases().get(0).held());
        assertThat(a.renew("show", "a", 2, 5000))
                .as("expired, not taken: the same tenure goes on")
                .hasValueSatisfying(lease -> assertThat(lease.epoch()).isEqualTo(2));
        assertThat(a.renew("show", "a", 2, 1)).isPresent();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> b.acquire("show", "b", 5000).isPresent());
        assertThat(a.renew("show", "a", 2, 5000)).as("taken by b").isEmpty();
    }

    @Test
    void heartbeatAgesComeFromTheDatabaseClockAndDrainingSurvivesHeartbeats() {
        ClusterNode nodeA = new ClusterNode("a", "127.0.0.11", 1937, 1935, "1.2.3");
        a.heartbeat(nodeA);
        assertThat(b.setDraining("a", true)).isTrue();
        assertThat(b.setDraining("nobody", true)).isFalse();
        a.heartbeat(nodeA);

        assertThat(b.nodes()).singleElement().satisfies(node -> {
            assertThat(node.node()).isEqualTo(nodeA);
            assertThat(node.draining()).isTrue();
            assertThat(node.heartbeatAgeMs()).isBetween(0L, 1000L);
        });
        // the age grows by the database's clock: wait until it is past 300 ms
        await().atMost(BOUND).until(() -> b.nodes().get(0).heartbeatAgeMs() >= 300);
        a.heartbeat(nodeA);
        assertThat(b.nodes().get(0).heartbeatAgeMs()).isLessThan(300);
    }

    @Test
    void theSchemaLivesApartFromTheConfigurationStoresTables() throws Exception {
        String other = POSTGRES.newDatabaseUrl();
        try (Connection connection = DriverManager.getConnection(other);
                Statement statement = connection.createStatement()) {
            // as if the configuration store had migrated first: a non-empty public schema with its own history
            statement.execute("CREATE TABLE public.flyway_schema_history (installed_rank int)");
            statement.execute("CREATE TABLE public.channels (name text)");
        }
        try (PostgresClusterStore first = PostgresClusterStore.open(other, STATEMENT_TIMEOUT);
                PostgresClusterStore again = PostgresClusterStore.open(other, STATEMENT_TIMEOUT)) {
            assertThat(first.acquire("show", "a", 1000)).isPresent();
            assertThat(again.leases()).hasSize(1);
        }
        try (Connection connection = DriverManager.getConnection(other);
                Statement statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT table_schema || '.' || table_name FROM"
                        + " information_schema.tables WHERE table_schema IN ('public', 'cluster') ORDER BY 1")) {
            List<String> tables = new ArrayList<>();
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
            assertThat(tables)
                    .containsExactly(
                            "cluster.channel_leases",
                            "cluster.cluster_nodes",
                            "cluster.cluster_schema_history",
                            "public.channels",
                            "public.flyway_schema_history");
        }
    }

    @Test
    void refusesAnythingButPostgresql() {
        assertThatThrownBy(() -> PostgresClusterStore.open("jdbc:sqlite:/tmp/x.db", STATEMENT_TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PostgreSQL");
    }

    @Test
    void anUnreachableStoreFailsFastAndTheNextCallAfterItComesBackSucceeds() {
        try (CutProxy proxy = CutProxy.start(POSTGRES.server().port());
                PostgresClusterStore viaProxy = PostgresClusterStore.open(proxy.through(url), STATEMENT_TIMEOUT)) {
            assertThat(viaProxy.acquire("show", "a", 5000)).isPresent();
            proxy.cut();
            long start = System.nanoTime();

            assertThatThrownBy(() -> viaProxy.renew("show", "a", 1, 5000))
                    .isInstanceOf(ClusterStoreException.class)
                    .hasMessageContaining("renew the lease of channel show");
            assertThatThrownBy(() -> viaProxy.acquire("show", "a", 5000)).isInstanceOf(ClusterStoreException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));

            proxy.restore();
            assertThat(viaProxy.renew("show", "a", 1, 5000)).isPresent();
        }
    }

    @Test
    void aServerThatStopsAnsweringFailsTheCallWithinTheStatementTimeout() {
        try (CutProxy proxy = CutProxy.start(POSTGRES.server().port());
                PostgresClusterStore viaProxy = PostgresClusterStore.open(proxy.through(url), STATEMENT_TIMEOUT)) {
            assertThat(viaProxy.acquire("show", "a", 5000)).isPresent();
            proxy.freeze();
            long start = System.nanoTime();

            assertThatThrownBy(() -> viaProxy.renew("show", "a", 1, 5000)).isInstanceOf(ClusterStoreException.class);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(elapsedMs)
                    .as("the network timeout (%s) ends the wait", STATEMENT_TIMEOUT)
                    .isBetween(STATEMENT_TIMEOUT.toMillis() - 50, STATEMENT_TIMEOUT.toMillis() + 700);

            proxy.thaw();
            assertThat(viaProxy.renew("show", "a", 1, 5000))
                    .as("a new connection")
                    .isPresent();
        }
    }

    @Test
    void aClosedStoreRefusesCalls() {
        a.close();
        assertThatThrownBy(() -> a.acquire("show", "a", 1000))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
