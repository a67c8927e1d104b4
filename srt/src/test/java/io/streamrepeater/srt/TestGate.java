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
