package io.streamrepeater.app;

import io.streamrepeater.channel.InputSession;
import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.rtmp.session.PublishDecision;
import io.streamrepeater.rtmp.session.PublishGate;
import io.streamrepeater.rtmp.session.PublishSink;
import io.streamrepeater.rtmp.session.Publisher;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Maps input stream keys to the channel input they publish to; the ingest side's {@link PublishGate}. */
final class KeyDirectory implements PublishGate {
    private record Target(LiveChannel channel, String input) {
    }

    /**
     * Keyed by the SHA-256 of the stream key: a lookup's timing depends on a digest the caller cannot
     * steer, not on how much of a real key a guess shares, and the keys themselves are not held here.
     */
    private final Map<String, Target> byKeyDigest = new ConcurrentHashMap<>();
    private final WrongKeyThrottle throttle;

    KeyDirectory(WrongKeyThrottle throttle) {
        this.throttle = throttle;
    }

    void register(String key, LiveChannel channel, String input) {
        byKeyDigest.put(digest(key), new Target(channel, input));
    }

    /** Forgets every key of a channel (before re-registering its new keys, or when it is deleted). */
    void unregister(LiveChannel channel) {
        byKeyDigest.values().removeIf(t -> t.channel() == channel);
    }

    static String digest(String key) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public PublishDecision publish(String streamKey, Publisher publisher) {
        Target t = byKeyDigest.get(digest(streamKey));
        if (t == null) {
            long delay = throttle.failed(host(publisher));
            return new PublishDecision.Rejected("NetStream.Publish.BadName", "unknown stream key", delay);
        }
        String label = t.channel().name() + "/" + t.input();
        InputSession session = t.channel().openInput(t.input(), String.valueOf(publisher.remoteAddress()),
                () -> publisher.disconnect("taken over by a new publisher on " + label), publisher.transport());
        if (session == null) {
            return new PublishDecision.Rejected("NetStream.Publish.BadName", "input " + label + " is already live");
        }
        return new PublishDecision.Accepted(new PublishSink() {
            @Override
            public void packet(MediaPacket packet) {
                session.packet(packet);
            }

            @Override
            public void end(String reason) {
                session.close(reason);
            }
        }, label);
    }

    private static String host(Publisher publisher) {
        return publisher.remoteAddress() instanceof java.net.InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : String.valueOf(publisher.remoteAddress());
    }
}
