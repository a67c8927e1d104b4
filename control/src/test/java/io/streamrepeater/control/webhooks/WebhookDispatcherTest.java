package io.streamrepeater.control.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrepeater.control.config.WebhookConfig;
import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelEventType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Deliveries to a real HTTP receiver on 127.0.0.1, with short retry waits. */
class WebhookDispatcherTest {
    private static final String SECRET = "whsec-0123456789abcdef";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final RetrySchedule FAST = new RetrySchedule(5, Duration.ofMillis(10), Duration.ofMillis(40));

    private final ObjectMapper json = new ObjectMapper();
    private LocalReceiver receiver;
    private WebhookDispatcher dispatcher;

    @BeforeEach
    void start() throws Exception {
        receiver = LocalReceiver.start();
    }

    @AfterEach
    void stop() {
        if (dispatcher != null) {
            dispatcher.close();
        }
        receiver.close();
    }

    private WebhookDispatcher dispatcher(RetrySchedule schedule, int capacity) {
        dispatcher = new WebhookDispatcher(schedule, capacity, Duration.ofSeconds(5));
        dispatcher.configure("show", List.of(new WebhookConfig(receiver.url("/hook"), SECRET)));
        return dispatcher;
    }

    private static ChannelEvent event(long sequence) {
        return new ChannelEvent(
                sequence,
                1_700_000_000_000L + sequence,
                "show",
                ChannelEventType.SWITCH,
                null,
                "primary",
                "backup",
                "no media for 1000 ms",
                1000,
                40,
                33,
                -1);
    }

    private long count(WebhookOutcome outcome) {
        return dispatcher.deliveryCounts().stream()
                .filter(c -> c.channel().equals("show") && c.outcome() == outcome)
                .mapToLong(DeliveryCount::count)
                .sum();
    }

    private long sequenceOf(LocalReceiver.Request request) throws Exception {
        return json.readValue(request.body(), ChannelEvent.class).sequence();
    }

    private static String hmacHex(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void theHttpClientIsBuiltWithTheFirstWebhookOnly() throws Exception {
        dispatcher = new WebhookDispatcher(FAST, 16, Duration.ofSeconds(5));
        dispatcher.configure("quiet", List.of());
        dispatcher.publish(event(1));
        assertThat(dispatcher.httpClientBuilt()).as("no webhook yet").isFalse();

        dispatcher.configure("show", List.of(new WebhookConfig(receiver.url("/hook"), SECRET)));
        assertThat(dispatcher.httpClientBuilt()).isTrue();
        dispatcher.publish(event(2));
        await().atMost(WAIT).until(() -> count(WebhookOutcome.DELIVERED) == 1);
    }

    @Test
    void anEventIsPostedAsJsonWithItsTypeAnIdAndAValidSignature() throws Exception {
        dispatcher(FAST, 16);
        ChannelEvent sent = event(7);

        dispatcher.publish(sent);

        await().atMost(WAIT).until(() -> count(WebhookOutcome.DELIVERED) == 1);
        assertThat(receiver.requests()).hasSize(1);
        LocalReceiver.Request request = receiver.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(json.readValue(request.body(), ChannelEvent.class)).isEqualTo(sent);
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header(WebhookHeaders.EVENT)).isEqualTo("switch");
        assertThat(request.header(WebhookHeaders.ATTEMPT)).isEqualTo("1");
        assertThat(UUID.fromString(request.header(WebhookHeaders.DELIVERY))).isNotNull();
        assertThat(request.header(WebhookHeaders.SIGNATURE)).isEqualTo("sha256=" + hmacHex(SECRET, request.body()));
    }

    @Test
    void failedTriesAreRepeatedWithTheSameDeliveryIdUntilOneSucceeds() {
        receiver.answer(503, 500, 429, 408);
        dispatcher(FAST, 16);

        dispatcher.publish(event(1));

        await().atMost(WAIT).until(() -> count(WebhookOutcome.DELIVERED) == 1);
        List<LocalReceiver.Request> requests = receiver.requests();
        assertThat(requests).hasSize(5);
        assertThat(requests)
                .extracting(r -> r.header(WebhookHeaders.DELIVERY))
                .containsOnly(requests.get(0).header(WebhookHeaders.DELIVERY));
        assertThat(requests).extracting(r -> r.header(WebhookHeaders.ATTEMPT)).containsExactly("1", "2", "3", "4", "5");
        assertThat(count(WebhookOutcome.FAILED)).isZero();
    }

    @Test
    void afterTheLastTryTheDeliveryFailsAndTheNextEventGoesOut() throws Exception {
        receiver.answer(500, 500, 500);
        dispatcher(new RetrySchedule(3, Duration.ofMillis(10), Duration.ofMillis(10)), 16);

        dispatcher.publish(event(1));
        dispatcher.publish(event(2));

        await().atMost(WAIT).until(() -> count(WebhookOutcome.FAILED) == 1 && count(WebhookOutcome.DELIVERED) == 1);
        List<LocalReceiver.Request> requests = receiver.requests();
        assertThat(requests).hasSize(4);
        assertThat(sequenceOf(requests.get(0))).isEqualTo(1);
        assertThat(sequenceOf(requests.get(2))).as("third and last try").isEqualTo(1);
        assertThat(sequenceOf(requests.get(3))).isEqualTo(2);
    }

    @ParameterizedTest(name = "status {0}")
    @ValueSource(ints = {400, 401, 404, 410, 302})
    void aRefusalIsNotTriedAgain(int status) throws Exception {
        receiver.answer(status);
        dispatcher(FAST, 16);

        dispatcher.publish(event(1));
        dispatcher.publish(event(2));

        await().atMost(WAIT).until(() -> count(WebhookOutcome.REJECTED) == 1 && count(WebhookOutcome.DELIVERED) == 1);
        assertThat(receiver.requests()).hasSize(2);
        assertThat(sequenceOf(receiver.requests().get(1))).isEqualTo(2);
    }

    @Test
    void eventsArriveInOrderEvenWhenAnEarlierOneIsRetried() throws Exception {
        receiver.answer(503, 503);
        dispatcher(FAST, 16);

        for (long sequence = 1; sequence <= 5; sequence++) {
            dispatcher.publish(event(sequence));
        }

        await().atMost(WAIT).until(() -> count(WebhookOutcome.DELIVERED) == 5);
        List<Long> received = new java.util.ArrayList<>();
        for (LocalReceiver.Request r : receiver.requests()) {
            received.add(sequenceOf(r));
        }
        assertThat(received).containsExactly(1L, 1L, 1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aFullQueueDropsNewEventsAndCountsThemWithoutWaitingForTheReceiver() throws Exception {
        receiver.holdAnswers();
        dispatcher(FAST, 2);
        dispatcher.publish(event(1));
        await().atMost(WAIT).until(() -> receiver.requests().size() == 1);

        for (long sequence = 2; sequence <= 10; sequence++) {
            dispatcher.publish(event(sequence)); // returns although the receiver answers nothing
        }

        assertThat(count(WebhookOutcome.DROPPED)).isEqualTo(7);
        receiver.release();
        await().atMost(WAIT).until(() -> count(WebhookOutcome.DELIVERED) == 3);
        assertThat(receiver.requests()).hasSize(3);
        assertThat(sequenceOf(receiver.requests().get(2))).isEqualTo(3);
    }

    @Test
    void anUnreachableReceiverIsRetriedThenCountedAsFailed() throws Exception {
        String closedPort;
        try (LocalReceiver gone = LocalReceiver.start()) {
            closedPort = gone.url("/hook");
        }
        dispatcher = new WebhookDispatcher(
                new RetrySchedule(2, Duration.ofMillis(10), Duration.ofMillis(10)), 4, Duration.ofSeconds(5));
        dispatcher.configure("show", List.of(new WebhookConfig(closedPort, SECRET)));

        dispatcher.publish(event(1));

        await().atMost(WAIT).until(() -> count(WebhookOutcome.FAILED) == 1);
    }

    @Test
    void onlyTheChannelsCurrentWebhooksGetItsEvents() throws Exception {
        try (LocalReceiver second = LocalReceiver.start()) {
            dispatcher(FAST, 16);
            WebhookConfig other = new WebhookConfig(second.url("/other"), "another-secret-value");

            dispatcher.publish(new ChannelEvent(
                    1,
                    0,
                    "talk",
                    ChannelEventType.INPUT_UP,
                    "primary",
                    null,
                    null,
                    null,
                    -1,
                    -1,
                    -1,
                    -1)); // another channel: no webhook of its own
            dispatcher.publish(event(2));
            await().atMost(WAIT).until(() -> count(WebhookOutcome.DELIVERED) == 1);

            dispatcher.configure("show", List.of(other));
            dispatcher.publish(event(3));
            await().atMost(WAIT).until(() -> count(WebhookOutcome.DELIVERED) == 2);

            assertThat(receiver.requests()).hasSize(1);
            assertThat(sequenceOf(receiver.requests().get(0))).isEqualTo(2);
            assertThat(second.requests()).hasSize(1);
            LocalReceiver.Request request = second.requests().get(0);
            assertThat(sequenceOf(request)).isEqualTo(3);
            assertThat(WebhookSignature.matches(
                            "another-secret-value", request.body(), request.header(WebhookHeaders.SIGNATURE)))
                    .isTrue();
            assertThat(dispatcher.deliveryCounts()).noneMatch(c -> c.channel().equals("talk"));
        }
    }
}
