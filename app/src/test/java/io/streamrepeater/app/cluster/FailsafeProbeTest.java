package io.streamrepeater.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Real UDP on loopback between probes of two (or three) nodes. */
class FailsafeProbeTest {
    private static final long LEASE_MS = 1_000;
    private static final LinkKey KEY = LinkKey.of(new byte[32]);

    private static byte[] otherKey() {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 7);
        return k;
    }

    private static FailsafeProbe open(String name, LinkKey key, Map<String, InetSocketAddress> peers) {
        return FailsafeProbe.open(name, "127.0.0.1", 0, key, LEASE_MS, () -> peers, Clock.systemUTC());
    }

    private static InetSocketAddress at(FailsafeProbe p) {
        return new InetSocketAddress("127.0.0.1", p.port());
    }

    @Test
    void everyPeerAnsweringConfirmsTheAskAndEachPeerHoldsOffForALease() {
        try (FailsafeProbe b = open("b", KEY, Map.of());
                FailsafeProbe c = open("c", KEY, Map.of());
                FailsafeProbe a = open("a", KEY, Map.of("b", at(b), "c", at(c)))) {
            assertThat(a.latest()).isEmpty();
            long before = System.nanoTime();
            a.ask();
            await().atMost(Duration.ofSeconds(5)).until(() -> a.latest().isPresent());
            assertThat(a.latest().get().sentAtNanos()).isGreaterThanOrEqualTo(before);
            assertThat(a.latest().get().answeredAtNanos())
                    .isGreaterThanOrEqualTo(a.latest().get().sentAtNanos());
            assertThat(b.holdingOff()).isTrue();
            assertThat(c.holdingOff()).isTrue();
            assertThat(a.holdingOff()).as("nobody asked a").isFalse();
            // the promise lasts one lease after the last ask
            await().atMost(Duration.ofMillis(LEASE_MS + 3_000)).until(() -> !b.holdingOff());

            a.storeAnswers();
            assertThat(a.latest()).as("forgotten once the store answers").isEmpty();
        }
    }

    @Test
    void aPeerThatDoesNotAnswerOrHasAnotherKeyConfirmsNothing() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, java.net.InetAddress.getByName("127.0.0.1"));
                FailsafeProbe b = open("b", KEY, Map.of());
                FailsafeProbe a = open(
                        "a", KEY, Map.of("b", at(b), "x", new InetSocketAddress("127.0.0.1", silent.getLocalPort())));
                FailsafeProbe stranger = open("c", LinkKey.of(otherKey()), Map.of());
                FailsafeProbe d = open("d", KEY, Map.of("c", at(stranger)))) {
            a.ask();
            d.ask();
            await().during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> a.latest().isEmpty() && d.latest().isEmpty());
            assertThat(b.holdingOff()).as("b heard a's ask").isTrue();
            assertThat(stranger.holdingOff()).as("a wrong signature is ignored").isFalse();
        }
    }

    @Test
    void withoutPeersNobodyCouldTakeALeaseAndTheAskIsConfirmedAtOnce() {
        try (FailsafeProbe a = open("a", KEY, Map.of())) {
            a.ask();
            assertThat(a.latest()).isPresent();
        }
    }
}
