package io.streamrepeater.control.webhooks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counts of delivery outcomes per channel, safe from any thread; kept after a channel is deleted. */
final class DeliveryCounters {
    private record Key(String channel, WebhookOutcome outcome) {}

    private final Map<Key, AtomicLong> counts = new ConcurrentHashMap<>();

    /** Makes every outcome of the channel visible (as 0) before its first delivery ends. */
    void register(String channel) {
        for (WebhookOutcome outcome : WebhookOutcome.values()) {
            counts.computeIfAbsent(new Key(channel, outcome), k -> new AtomicLong());
        }
    }

    void count(String channel, WebhookOutcome outcome) {
        counts.computeIfAbsent(new Key(channel, outcome), k -> new AtomicLong()).incrementAndGet();
    }

    /** @return every count, ordered by channel and outcome */
    List<DeliveryCount> snapshot() {
        List<DeliveryCount> out = new ArrayList<>();
        counts.forEach((key, count) -> out.add(new DeliveryCount(key.channel(), key.outcome(), count.get())));
        out.sort(Comparator.comparing(DeliveryCount::channel).thenComparing(DeliveryCount::outcome));
        return out;
    }
}
