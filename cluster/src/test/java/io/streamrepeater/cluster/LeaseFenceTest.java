package io.streamrepeater.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The self-fencing rule on a clock moved by hand: may the node write at {@code now}? */
class LeaseFenceTest {
    /** A monotonic clock that moves only when told, in milliseconds (read as nanoseconds). */
    private final AtomicLong nowMs = new AtomicLong(1_000_000);

    private long nanos() {
        return TimeUnit.MILLISECONDS.toNanos(nowMs.get());
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // name, sent at, lease, margin, now (ms) -> may write
                Arguments.of("just confirmed", 0, 3000, 600, 0, true),
                Arguments.of("one renew period later", 0, 3000, 600, 1000, true),
                Arguments.of("1 ms before the deadline", 0, 3000, 600, 2399, true),
                Arguments.of("at the deadline (lease - margin)", 0, 3000, 600, 2400, false),
                Arguments.of("between the deadline and the store's expiry", 0, 3000, 600, 2700, false),
                Arguments.of("after the store's expiry", 0, 3000, 600, 3001, false),
                Arguments.of("shortest lease, minimum margin", 0, 1000, 200, 799, true),
                Arguments.of("shortest lease, at its deadline", 0, 1000, 200, 800, false),
                Arguments.of("answer came late: sent 900 ms ago", 0, 1000, 200, 900, false),
                Arguments.of("paused past expiry then resumed", 0, 3000, 600, 60_000, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void mayWriteUntilSentAtPlusLeaseMinusMargin(
            String name, long sentAtMs, long leaseMs, long marginMs, long atMs, boolean expected) {
        long start = nowMs.get();
        LeaseFence fence = new LeaseFence(leaseMs, marginMs, this::nanos);
        nowMs.set(start + sentAtMs);
        long sentAt = fence.beginAttempt();
        fence.confirmed(sentAt, 7);
        nowMs.set(start + atMs);

        assertThat(fence.mayWrite()).isEqualTo(expected);
        assertThat(fence.mayWrite(7)).isEqualTo(expected);
    }

    @Test
    void theClockIsReadBeforeTheStatementIsSentNotWhenTheAnswerArrives() {
        LeaseFence fence = new LeaseFence(1000, 200, this::nanos);
        long sentAt = fence.beginAttempt();
        nowMs.addAndGet(500); // the statement took 500 ms
        fence.confirmed(sentAt, 1);

        nowMs.addAndGet(299);
        assertThat(fence.mayWrite()).as("799 ms after sending").isTrue();
        nowMs.addAndGet(1);
        assertThat(fence.mayWrite())
                .as("800 ms after sending, though only 300 ms after the answer")
                .isFalse();
    }

    @Test
    void nanosLeftCountsDownToTheDeadlineOfThatTenureOnly() {
        LeaseFence fence = new LeaseFence(1000, 200, this::nanos);
        assertThat(fence.nanosLeft(1)).as("never held").isZero();
        fence.confirmed(fence.beginAttempt(), 1);
        nowMs.addAndGet(300);
        assertThat(fence.nanosLeft(1)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(fence.nanosLeft(2)).as("another tenure").isZero();
        nowMs.addAndGet(600);
        assertThat(fence.nanosLeft(1)).as("over").isEqualTo(TimeUnit.MILLISECONDS.toNanos(-100));
        fence.revoke();
        assertThat(fence.nanosLeft(1)).isZero();
    }

    @Test
    void pausedPastExpiryThenResumedSaysNoBeforeAnyWrite() {
        LeaseFence fence = new LeaseFence(3000, 600, this::nanos);
        fence.confirmed(fence.beginAttempt(), 4);
        long renewSentBeforeThePause = fence.beginAttempt();
        nowMs.addAndGet(10_000); // SIGSTOP, a frozen VM, a long GC pause

        assertThat(fence.mayWrite()).as("first check after resuming").isFalse();
        // the renewal that was in flight before the pause comes back "granted": too late to help
        fence.confirmed(renewSentBeforeThePause, 4);
        assertThat(fence.mayWrite()).isFalse();
    }

    @Test
    void aRefusedRenewalClosesTheFenceAtOnce() {
        LeaseFence fence = new LeaseFence(3000, 600, this::nanos);
        fence.confirmed(fence.beginAttempt(), 2);
        nowMs.addAndGet(100);
        assertThat(fence.mayWrite()).isTrue();

        fence.revoke();

        assertThat(fence.mayWrite()).isFalse();
        assertThat(fence.epoch()).isZero();
        assertThat(fence.writableUntilNanos()).isEmpty();
    }

    @Test
    void aFailedRenewalDoesNotExtendTheFence() {
        LeaseFence fence = new LeaseFence(1000, 200, this::nanos);
        fence.confirmed(fence.beginAttempt(), 3);
        nowMs.addAndGet(333);
        fence.beginAttempt(); // the renewal fails: nothing is confirmed
        nowMs.addAndGet(333);
        fence.beginAttempt(); // fails again
        assertThat(fence.mayWrite()).as("666 ms after the last success").isTrue();
        nowMs.addAndGet(134);
        assertThat(fence.mayWrite()).as("800 ms after the last success").isFalse();
    }

    @Test
    void anOlderAnswerNeverMovesTheDeadlineBack() {
        LeaseFence fence = new LeaseFence(1000, 200, this::nanos);
        long first = fence.beginAttempt();
        nowMs.addAndGet(300);
        long second = fence.beginAttempt();
        fence.confirmed(second, 5);
        fence.confirmed(first, 5);

        nowMs.addAndGet(499);
        assertThat(fence.mayWrite()).isTrue();
        assertThat(fence.lastConfirmedSentAtNanos()).hasValue(second);
    }

    @Test
    void aWriterOfAnEarlierTenureIsRefused() {
        LeaseFence fence = new LeaseFence(1000, 200, this::nanos);
        fence.confirmed(fence.beginAttempt(), 5);
        fence.revoke();
        fence.confirmed(fence.beginAttempt(), 6);

        assertThat(fence.mayWrite(5)).isFalse();
        assertThat(fence.mayWrite(6)).isTrue();
        assertThat(fence.epoch()).isEqualTo(6);
    }

    @Test
    void neverHeldSaysNo() {
        assertThat(new LeaseFence(1000, this::nanos).mayWrite()).isFalse();
    }

    @Test
    void defaultMarginIsAFifthOfTheLeaseAndAtLeast200Ms() {
        assertThat(LeaseFence.defaultMarginMs(1000)).isEqualTo(200);
        assertThat(LeaseFence.defaultMarginMs(3000)).isEqualTo(600);
        assertThat(LeaseFence.defaultMarginMs(30_000)).isEqualTo(6000);
        assertThat(LeaseFence.defaultMarginMs(500)).isEqualTo(200);
        assertThat(new LeaseFence(3000, this::nanos).marginMs()).isEqualTo(600);
    }

    @Test
    void refusesAMarginThatEatsTheLease() {
        assertThatThrownBy(() -> new LeaseFence(200, 200, this::nanos))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("margin");
    }

    @Test
    void thePeersWordExtendsOnlyTheCurrentTenureAndOnlyWhileItIsStillOpen() {
        LeaseFence fence = new LeaseFence(1000, 200, this::nanos);
        assertThat(fence.extendByPeers(nanos(), nanos(), 1)).as("nothing held").isFalse();
        fence.confirmed(fence.beginAttempt(), 1); // writable until +800 ms
        nowMs.addAndGet(500);
        long askedAt = nanos();
        nowMs.addAndGet(10);
        assertThat(fence.extendByPeers(askedAt, nanos(), 2))
                .as("another tenure")
                .isFalse();
        assertThat(fence.extendByPeers(askedAt, nanos(), 1)).isTrue();
        nowMs.addAndGet(780); // 1290 ms after the renewal: past its deadline, within the ask's (500 + 800)
        assertThat(fence.mayWrite(1)).isTrue();
        assertThat(fence.extendByPeers(askedAt - 1, nanos(), 1))
                .as("an older ask")
                .isFalse();

        long lateAsk = nanos();
        nowMs.addAndGet(20); // the deadline (1300) passes before the answers are all in
        assertThat(fence.mayWrite(1)).isFalse();
        assertThat(fence.extendByPeers(lateAsk, nanos(), 1))
                .as("a fence that ran out stays out")
                .isFalse();
        assertThat(fence.mayWrite(1)).isFalse();
    }
}
