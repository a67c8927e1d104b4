package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WrongKeyThrottleTest {
    private long now = 1_000_000;
    private final Clock clock = new Clock() {
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return Instant.ofEpochMilli(now);
        }
    };

    @Test
    void firstFewMistakesAreFreeThenDelaysDoubleUpToTheCap() {
        WrongKeyThrottle t = new WrongKeyThrottle(clock);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            delays.add(t.failed("192.0.2.1"));
            now += 100;
        }
        assertThat(delays).containsExactly(0L, 0L, 0L, 0L, 0L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L);
    }

    @Test
    void addressesAreCountedApartAndForgottenAfterTheWindow() {
        WrongKeyThrottle t = new WrongKeyThrottle(clock);
        for (int i = 0; i < 6; i++) {
            t.failed("192.0.2.1");
        }
        assertThat(t.failed("192.0.2.2")).isZero();
        assertThat(t.failed("192.0.2.1")).isPositive();
        now += WrongKeyThrottle.WINDOW_MS + 1;
        assertThat(t.failed("192.0.2.1")).isZero();
    }

    @Test
    void srtCallersWithTooManyUnknownKeysAreRefusedForTheDelayTheirAddressEarned() {
        KeyDirectory keys = new KeyDirectory(new WrongKeyThrottle(clock));
        java.net.InetSocketAddress scanner = new java.net.InetSocketAddress("192.0.2.7", 40000);
        java.net.InetSocketAddress encoder = new java.net.InetSocketAddress("192.0.2.8", 40000);
        for (int i = 0; i < WrongKeyThrottle.FREE_FAILURES; i++) {
            keys.unknownKey(scanner);
            assertThat(keys.refusedForMs(scanner)).as("free mistake %d", i + 1).isZero();
        }
        keys.unknownKey(scanner);
        assertThat(keys.refusedForMs(scanner)).isEqualTo(1000);
        assertThat(keys.refusedForMs(new java.net.InetSocketAddress("192.0.2.7", 40001)))
                .as("the address is slowed down, whatever its port")
                .isEqualTo(1000);
        assertThat(keys.refusedForMs(encoder)).isZero();
        now += 400;
        assertThat(keys.refusedForMs(scanner)).isEqualTo(600);
        now += 600;
        assertThat(keys.refusedForMs(scanner)).isZero();
        keys.unknownKey(scanner);
        assertThat(keys.refusedForMs(scanner)).as("doubled").isEqualTo(2000);
    }
}
