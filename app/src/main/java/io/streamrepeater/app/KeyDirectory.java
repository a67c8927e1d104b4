package io.streamrepeater.app;

import io.streamrepeater.app.cluster.PublishedInput;
import io.streamrepeater.channel.InputSession;
import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.rtmp.session.PublishDecision;
import io.streamrepeater.rtmp.session.PublishGate;
import io.streamrepeater.rtmp.session.Publisher;
import io.streamrepeater.srt.SrtIngestGate;
import io.streamrepeater.srt.SrtInputAccess;
import io.streamrepeater.srt.SrtPublishSink;
import io.streamrepeater.status.SrtLinkStatus;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps input stream keys to the channel input they publish to; the ingest side's {@link PublishGate} (RTMP, RTMPS)
 * and {@link SrtIngestGate} (SRT: the key is the streamid, and the input's passphrase encrypts the connection).
 */
final class KeyDirectory implements PublishGate, SrtIngestGate {
    private static final Logger LOG = LoggerFactory.getLogger(KeyDirectory.class);
    /** @param srtPassphrase what SRT connections to this input must be encrypted with; null = not encrypted */
    private record Target(LiveChannel channel, String input, String srtPassphrase) {}

    /**
     * Keyed by the SHA-256 of the stream key: a lookup's timing depends on a digest the caller cannot
     * steer, not on how much of a real key a guess shares, and the keys themselves are not held here.
     */
    private final Map<String, Target> byKeyDigest = new ConcurrentHashMap<>();

    private final WrongKeyThrottle throttle;
    /** SRT callers slowed down after too many unknown keys: address to the clock's time until which they are refused. */
    private final Map<String, Long> srtRefusedUntil = new ConcurrentHashMap<>();

    private final PublishAdmission admission;
    /** Encoders publishing over RTMP through this directory now (a drained node asks them to move). */
    private final Set<Publisher> publishing = ConcurrentHashMap.newKeySet();

    KeyDirectory(WrongKeyThrottle throttle) {
        this(throttle, new PublishAdmission());
    }

    /** @param admission whether new publishes are taken now (not on a drained cluster node) */
    KeyDirectory(WrongKeyThrottle throttle, PublishAdmission admission) {
        this.throttle = throttle;
        this.admission = admission;
    }

    void register(String key, LiveChannel channel, String input, String srtPassphrase) {
        byKeyDigest.put(digest(key), new Target(channel, input, srtPassphrase));
    }

    /** Forgets every key of a channel (before re-registering its new keys, or when it is deleted). */
    void unregister(LiveChannel channel) {
        byKeyDigest.values().removeIf(t -> t.channel() == channel);
    }

    static String digest(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public PublishDecision publish(String streamKey, Publisher publisher) {
        Target t = byKeyDigest.get(digest(streamKey));
        if (t == null) {
            long delay = throttle.failed(PublishedInput.host(publisher));
            return new PublishDecision.Rejected("NetStream.Publish.BadName", "unknown stream key", delay);
        }
        String label = t.channel().name() + "/" + t.input();
        String refusal = admission.refusal();
        if (refusal != null) {
            LOG.info("event=publish-refused-draining input={} remote={}", label, PublishedInput.address(publisher));
            return new PublishDecision.Rejected("NetStream.Publish.Rejected", refusal);
        }
        InputSession session = t.channel()
                .openInput(
                        t.input(),
                        PublishedInput.address(publisher),
                        () -> publisher.disconnect("taken over by a new publisher on " + label),
                        publisher.transport());
        if (session == null) {
            return new PublishDecision.Rejected("NetStream.Publish.BadName", "input " + label + " is already live");
        }
        publishing.add(publisher);
        return PublishedInput.accepted(session, t.channel(), label, () -> publishing.remove(publisher));
    }

    /**
     * Asks every encoder publishing here over RTMP that announced Enhanced RTMP's reconnect to publish to
     * {@code rtmp://host:port/APP} from now on (a drained node); the others keep publishing here until they leave.
     *
     * @return how many encoders were asked
     */
    int askToMove(String host, int port, String description) {
        int asked = 0;
        for (Publisher p : publishing) {
            if (p.requestReconnect(host, port, description)) {
                asked++;
            }
        }
        return asked;
    }

    @Override
    public Optional<SrtInputAccess> lookup(String streamKey) {
        Target t = byKeyDigest.get(digest(streamKey));
        return t == null
                ? Optional.empty()
                : Optional.of(new SrtInputAccess(t.channel().name() + "/" + t.input(), t.srtPassphrase()));
    }

    @Override
    public long refusedForMs(InetSocketAddress peer) {
        Long until = srtRefusedUntil.get(peer.getAddress().getHostAddress());
        return until == null ? 0 : Math.max(0, until - throttle.millis());
    }

    @Override
    public void unknownKey(InetSocketAddress peer) {
        String host = peer.getAddress().getHostAddress();
        long delay = throttle.failed(host);
        if (delay <= 0) {
            return;
        }
        long now = throttle.millis();
        if (srtRefusedUntil.size() > WrongKeyThrottle.MAX_TRACKED_ADDRESSES) {
            srtRefusedUntil.values().removeIf(until -> until <= now);
        }
        srtRefusedUntil.put(host, now + delay);
        LOG.warn("event=srt-throttled remote={} refusedForMs={} reason=\"too many unknown stream keys\"", host, delay);
    }

    @Override
    public SrtPublishSink open(String streamKey, InetSocketAddress peer, Runnable disconnect) {
        Target t = byKeyDigest.get(digest(streamKey));
        if (t == null) {
            return null; // the key was removed or rotated between the handshake and now
        }
        if (admission.refusal() != null) {
            LOG.info(
                    "event=publish-refused-draining input={}/{} remote={}",
                    t.channel().name(),
                    t.input(),
                    peer);
            return null;
        }
        InputSession session = t.channel().openInput(t.input(), PublishedInput.address(peer), disconnect, "srt");
        if (session == null) {
            return null;
        }
        return new SrtPublishSink() {
            @Override
            public void packet(MediaPacket packet) {
                session.packet(packet);
            }

            @Override
            public void statistics(SrtLinkStatus status) {
                session.linkStatus(status);
            }

            @Override
            public void end(String reason) {
                session.close(reason);
            }
        };
    }
}
