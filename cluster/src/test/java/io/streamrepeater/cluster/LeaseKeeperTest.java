package io.streamrepeater.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.cluster.RecordingLeaseListener.Report;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Two keepers (two nodes) on a real PostgreSQL with a one-second lease. */
class LeaseKeeperTest {
    @RegisterExtension
    static final SharedPostgres POSTGRES = new SharedPostgres();

    private static final long LEASE_MS = 1000;
    private static final long MARGIN_MS = LeaseFence.defaultMarginMs(LEASE_MS);
    private static final Duration STATEMENT_TIMEOUT = Duration.ofMillis(LEASE_MS / 4);
    private static final Duration BOUND = Duration.ofSeconds(10);

    private String url;
    private PostgresClusterStore storeA;
    private PostgresClusterStore storeB;

    @BeforeEach
    void open() {
        url = POSTGRES.newDatabaseUrl();
        storeA = PostgresClusterStore.open(url, STATEMENT_TIMEOUT);
        storeB = PostgresClusterStore.open(url, STATEMENT_TIMEOUT);
    }

    @AfterEach
    void close() {
        storeA.close();
        storeB.close();
    }

    @Test
    void whenTheOwnerDiesTheOtherTakesOverAfterTheLeaseAndTheirWritesNeverOverlap() {
        RecordingLeaseListener heardA = new RecordingLeaseListener();
        RecordingLeaseListener heardB = new RecordingLeaseListener();
        try (LeaseKeeper a = new LeaseKeeper(storeA, "a", LEASE_MS, () -> Set.of("show"), heardA, System::nanoTime);
                LeaseKeeper b =
                        new LeaseKeeper(storeB, "b", LEASE_MS, () -> Set.of("show"), heardB, System::nanoTime)) {
            a.start();
            await().atMost(BOUND).until(() -> heardA.lastAcquired("show").isPresent());
            b.start();

            // a keeps it by renewing, for longer than one lease; b never gets it
            await().pollInterval(Duration.ofMillis(100))
                    .during(Duration.ofMillis(2 * LEASE_MS))
                    .atMost(BOUND)
                    .until(() -> a.fence("show").mayWrite()
                            && !b.fence("show").mayWrite()
                            && heardB.reports().isEmpty());
            long epoch = heardA.lastAcquired("show").orElseThrow().epoch();
            assertThat(a.owned()).containsEntry("show", epoch);
            assertThat(heardA.renewLatencies())
                    .as("each renewal's answer time is told (the renew latency metric)")
                    .isNotEmpty()
                    .allSatisfy(n -> assertThat(n).isPositive().isLessThan(TimeUnit.MILLISECONDS.toNanos(LEASE_MS)));
            assertThat(heardB.renewLatencies()).isEmpty();

            long closedAt = System.nanoTime();
            a.close(); // as a crash: nothing released
            LeaseFence dead = a.fence("show");
            long lastRenewal = dead.lastConfirmedSentAtNanos().orElseThrow();
            long deadline = dead.writableUntilNanos().orElseThrow();

            Report takeover = await().atMost(BOUND)
                    .until(() -> heardB.lastAcquired("show"), r -> r.isPresent())
                    .orElseThrow();
            assertThat(takeover.epoch()).isEqualTo(epoch + 1);
            assertThat(b.fence("show").mayWrite(epoch + 1)).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(takeover.atNanos() - closedAt))
                    .as("takeover after the owner died: about a lease plus a renew period")
                    .isLessThanOrEqualTo(LEASE_MS + b.renewPeriodMs() + 500);
            // the dead node's fence ran out lease - margin after its last renewal was sent ...
            assertThat(TimeUnit.NANOSECONDS.toMillis(deadline - lastRenewal)).isEqualTo(LEASE_MS - MARGIN_MS);
            assertThat(dead.mayWrite()).isFalse();
            // ... and at least the margin before the other node could take the lease (20 ms: the database's
            // wall clock against the JVM's monotonic clock)
            assertThat(TimeUnit.NANOSECONDS.toMillis(takeover.atNanos() - deadline))
                    .isGreaterThanOrEqualTo(MARGIN_MS - 20);
            assertThat(heardA.reports())
                    .as("a closed keeper reports nothing more")
                    .hasSize(1);
        }
    }

    @Test
    void aStoreOutageRunsTheFenceOutReportsTheLossAndAcquisitionResumesAfterIt() {
        RecordingLeaseListener heard = new RecordingLeaseListener();
        try (CutProxy proxy = CutProxy.start(POSTGRES.server().port());
                PostgresClusterStore viaProxy = PostgresClusterStore.open(proxy.through(url), STATEMENT_TIMEOUT);
                LeaseKeeper keeper =
                        new LeaseKeeper(viaProxy, "a", LEASE_MS, () -> Set.of("show"), heard, System::nanoTime)) {
            keeper.start();
            Report acquired = await().atMost(BOUND)
                    .until(() -> heard.lastAcquired("show"), r -> r.isPresent())
                    .orElseThrow();
            LeaseFence fence = keeper.fence("show");
            assertThat(fence.mayWrite()).isTrue();

            long cutAt = System.nanoTime();
            proxy.cut();

            Report lost = await().atMost(BOUND)
                    .until(() -> heard.lastLost("show"), r -> r.isPresent())
                    .orElseThrow();
            assertThat(lost.reason()).isEqualTo(LeaseLossReason.FENCE_EXPIRED);
            assertThat(lost.epoch()).isEqualTo(acquired.epoch());
            assertThat(fence.mayWrite()).isFalse();
            assertThat(TimeUnit.NANOSECONDS.toMillis(fence.writableUntilNanos().orElseThrow() - cutAt))
                    .as("writes stop no later than lease - margin after the cut")
                    .isLessThanOrEqualTo(LEASE_MS - MARGIN_MS);
            assertThat(keeper.owned()).isEmpty();

            proxy.restore();
            Report again = await().atMost(BOUND)
                    .until(() -> heard.lastAcquired("show"), r -> r.get().atNanos() > lost.atNanos())
                    .orElseThrow();
            assertThat(again.epoch()).as("a new tenure").isGreaterThan(acquired.epoch());
            assertThat(fence.mayWrite(again.epoch())).isTrue();
        }
    }

    /** Peers that answer every ask at once (as reachable peers do), recording what the keeper told it. */
    private static final class AnsweringPeers implements PeerFailsafe {
        final java.util.concurrent.atomic.AtomicInteger asks = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger storeBack = new java.util.concurrent.atomic.AtomicInteger();
        volatile Confirmation latest;

        @Override
        public void ask() {
            asks.incrementAndGet();
            long now = System.nanoTime();
            latest = new Confirmation(now, now);
        }

        @Override
        public void storeAnswers() {
            storeBack.incrementAndGet();
            latest = null;
        }

        @Override
        public java.util.Optional<Confirmation> latest() {
            return java.util.Optional.ofNullable(latest);
        }

        @Override
        public boolean holdingOff() {
            return false;
        }
    }

    /**
     * How the store goes away: refusing (the server stopped: resets, then refused connections) or hanging (a cut
     * network: every connection stays open and nothing comes back, so each call, connection attempts included, holds
     * the keeper's thread for its whole bound, longer than the fence's validity here).
     */
    enum Outage {
        REFUSING,
        HANGING;

        void begin(CutProxy proxy) {
            if (this == REFUSING) {
                proxy.cut();
            } else {
                proxy.freeze();
            }
        }

        void end(CutProxy proxy) {
            if (this == REFUSING) {
                proxy.restore();
            } else {
                proxy.thaw();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Outage.class)
    void aStoreOutageWhileEveryPeerAnswersKeepsTheTenureAndItsRenewalsGoOnAfterIt(Outage outage) {
        RecordingLeaseListener heard = new RecordingLeaseListener();
        AnsweringPeers peers = new AnsweringPeers();
        try (CutProxy proxy = CutProxy.start(POSTGRES.server().port());
                PostgresClusterStore viaProxy = PostgresClusterStore.open(proxy.through(url), STATEMENT_TIMEOUT);
                LeaseKeeper keeper = new LeaseKeeper(
                        viaProxy, "a", LEASE_MS, () -> Set.of("show"), heard, System::nanoTime, peers)) {
            keeper.start();
            Report acquired = await().atMost(BOUND)
                    .until(() -> heard.lastAcquired("show"), r -> r.isPresent())
                    .orElseThrow();
            LeaseFence fence = keeper.fence("show");
            // a healthy store is never taken for a hanging one (an ask makes every peer hold off for a lease)
            await().during(Duration.ofMillis(2 * LEASE_MS))
                    .atMost(Duration.ofMillis(2 * LEASE_MS + 5_000))
                    .until(() -> peers.asks.get() == 0);

            outage.begin(proxy);
            // three leases without the store: the peers' word keeps the fence open, nothing is lost
            await().pollInterval(Duration.ofMillis(50))
                    .during(Duration.ofMillis(3 * LEASE_MS))
                    .atMost(Duration.ofMillis(3 * LEASE_MS + 5_000))
                    .until(() -> fence.mayWrite(acquired.epoch())
                            && heard.lastLost("show").isEmpty());
            assertThat(peers.asks.get()).isGreaterThan(3);

            outage.end(proxy);
            await().atMost(BOUND).until(() -> peers.storeBack.get() > 0);
            int asksWhenBack = peers.asks.get();
            // the same tenure is renewed (it expired in the store, nobody took it): no loss, no new epoch
            await().during(Duration.ofMillis(2 * LEASE_MS))
                    .atMost(Duration.ofMillis(2 * LEASE_MS + 5_000))
                    .until(() -> fence.mayWrite(acquired.epoch())
                            && heard.lastLost("show").isEmpty());
            assertThat(heard.reports()).as("one acquire, nothing else").hasSize(1);
            assertThat(peers.asks.get())
                    .as("no more asks once the store answers")
                    .isEqualTo(asksWhenBack);
        }
    }

    @Test
    void aChannelNoLongerWantedIsReleasedAndAnotherNodeMayTakeItAtOnce() {
        RecordingLeaseListener heard = new RecordingLeaseListener();
        AtomicReference<Set<String>> wanted = new AtomicReference<>(Set.of("show"));
        long leaseMs = 3000; // long enough that only the release, not the expiry, can free it for b below
        try (LeaseKeeper a = new LeaseKeeper(storeA, "a", leaseMs, wanted::get, heard, System::nanoTime)) {
            a.start();
            Report acquired = await().atMost(BOUND)
                    .until(() -> heard.lastAcquired("show"), r -> r.isPresent())
                    .orElseThrow();

            wanted.set(Set.of()); // drain

            Report released = await().atMost(BOUND)
                    .until(() -> heard.lastLost("show"), r -> r.isPresent())
                    .orElseThrow();
            assertThat(released.reason()).isEqualTo(LeaseLossReason.RELEASED);
            assertThat(a.fence("show").mayWrite()).isFalse();
            assertThat(a.owned()).isEmpty();
            // a renewed at most one round (1 s) ago: without the release, its 3 s lease would still hold
            assertThat(storeB.acquire("show", "b", leaseMs))
                    .hasValueSatisfying(lease -> assertThat(lease.epoch()).isEqualTo(acquired.epoch() + 1));
        }
    }
}
