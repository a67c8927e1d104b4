package io.streamrepeater.control.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Refused API tokens per address, and the rate of their log lines (issue 17, finding 3). */
class SignInThrottleTest {
    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        long millis = 1_000_000;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    @Test
    void anAddressIsHeldBackAfterTenRefusalsInAMinuteAndLetInAgainWhenTheyAgeOut() {
        TestClock clock = new TestClock();
        SignInThrottle throttle = new SignInThrottle(clock);
        for (int i = 0; i < SignInThrottle.FREE_FAILURES; i++) {
            assertThat(throttle.waitMs("203.0.113.7")).isZero();
            throttle.failed("203.0.113.7");
            clock.millis += 1000;
        }
        assertThat(throttle.waitMs("203.0.113.7"))
                .as("the oldest failure leaves the window in 51 s")
                .isEqualTo(50_001);
        assertThat(throttle.waitMs("198.51.100.1"))
                .as("another address is not affected")
                .isZero();
        clock.millis += 50_001;
        assertThat(throttle.waitMs("203.0.113.7")).isZero();
    }

    @Test
    void refusalLinesAreCappedPerSecondAndTheNextOneSaysHowManyWereLeftOut() {
        TestClock clock = new TestClock();
        SignInThrottle throttle = new SignInThrottle(clock);
        int logged = 0;
        for (int i = 0; i < 1000; i++) {
            if (throttle.mayLog()) {
                logged++;
            }
        }
        assertThat(logged).isEqualTo(SignInThrottle.LINES_PER_SECOND);
        clock.millis += 1000;
        assertThat(throttle.mayLog()).isTrue();
        assertThat(throttle.takeSuppressed()).isEqualTo(1000 - SignInThrottle.LINES_PER_SECOND);
        assertThat(throttle.takeSuppressed()).isZero();
    }

    @Test
    void aHugePathIsCutAndItsControlCharactersReplaced() {
        String path = "/api/v1/" + "x".repeat(7000) + "\n";
        String logged = SignInThrottle.pathForLog(path);
        assertThat(logged).hasSizeLessThan(130).endsWith("…(7009 chars)").doesNotContain("\n");
        assertThat(SignInThrottle.pathForLog("/api/v1/a\tb")).isEqualTo("/api/v1/a?b");
    }
}
