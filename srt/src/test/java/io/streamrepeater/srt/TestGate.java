package io.streamrepeater.srt;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A gate over a fixed map of keys to inputs; every publish it opens gets a new {@link RecordingSink}. */
final class TestGate implements SrtIngestGate {
    final Map<String, SrtInputAccess> inputs = new ConcurrentHashMap<>();
    final List<RecordingSink> sinks = new CopyOnWriteArrayList<>();
    final List<Runnable> disconnects = new CopyOnWriteArrayList<>();
    final List<InetSocketAddress> peers = new CopyOnWriteArrayList<>();

    /** Unknown keys heard of ({@link #unknownKey}). */
    final java.util.concurrent.atomic.AtomicInteger unknownKeys = new java.util.concurrent.atomic.AtomicInteger();
    /** Once an unknown key was heard of, every caller is refused for this long (0: never). */
    volatile long slowdownMs;

    @Override
    public long refusedForMs(InetSocketAddress peer) {
        return unknownKeys.get() > 0 ? slowdownMs : 0;
    }

    @Override
    public void unknownKey(InetSocketAddress peer) {
        unknownKeys.incrementAndGet();
    }

    TestGate with(String key, String label, String passphrase) {
        inputs.put(key, new SrtInputAccess(label, passphrase));
        return this;
    }

    @Override
    public Optional<SrtInputAccess> lookup(String streamKey) {
        return Optional.ofNullable(inputs.get(streamKey));
    }

    @Override
    public SrtPublishSink open(String streamKey, InetSocketAddress peer, Runnable disconnect) {
        RecordingSink sink = new RecordingSink();
        sinks.add(sink);
        disconnects.add(disconnect);
        peers.add(peer);
        return sink;
    }

    int opened() {
        return sinks.size();
    }

    RecordingSink sink(int index) {
        return sinks.get(index);
    }
}
