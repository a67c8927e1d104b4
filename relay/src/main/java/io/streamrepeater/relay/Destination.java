package io.streamrepeater.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamrepeater.rtmp.session.PublishListener;
import io.streamrepeater.rtmp.session.RtmpUrl;
import io.streamrepeater.status.DestinationState;
import io.streamrepeater.status.DestinationStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * One destination of a channel, supervised on its own: connect, publish, and after a drop or a
 * failure reconnect with backoff, without touching the other destinations. Runs on the channel's
 * event loop (the connection is bootstrapped there too), so no field needs a lock; the status
 * fields are volatile for readers on other threads.
 */
final class Destination implements PublishListener {
    private static final Logger log = LoggerFactory.getLogger(Destination.class);
    static final long STABLE_MS = 60_000;
    static final long REJECTED_RETRY_MS = 60_000;

    private final String channelName;
    private final String name;
    private final RtmpUrl url;
    private final EventLoop loop;
    private final OutboundConnector connector;
    private final ChannelRelay relay;
    private final Backoff backoff = new Backoff(1_000, 30_000);

    private volatile DestinationState state = DestinationState.CONNECTING;
    private volatile String lastError;
    private volatile long bytesSent;
    private volatile long packetsSent;
    private volatile long packetsDropped;
    private volatile long reconnects;
    private Channel channel;
    private int messageStreamId;
    private boolean live;
    private boolean awaitingKeyframe = true;
    private boolean rejected;
    private long liveSince;
    private ScheduledFuture<?> retry;
    private boolean stopped;

    Destination(String channelName, String name, RtmpUrl url, EventLoop loop, OutboundConnector connector, ChannelRelay relay) {
        this.channelName = channelName;
        this.name = name;
        this.url = url;
        this.loop = loop;
        this.connector = connector;
        this.relay = relay;
    }

    String name() {
        return name;
    }

    void start() {
        loop.execute(this::connect);
    }

    private void connect() {
        if (stopped) {
            return;
        }
        setState(DestinationState.CONNECTING, null);
        rejected = false;
        ChannelFuture f = connector.connect(loop, url, this);
        channel = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess()) {
                dropped("connect failed: " + describe(done.cause()));
            } else {
                f.channel().closeFuture().addListener(c -> {
                    if (f.channel() == channel) {
                        dropped(rejected ? lastError : "connection closed by peer");
                    }
                });
            }
        });
    }

    @Override
    public void live(Channel ch, int streamId) {
        if (ch != channel || stopped) {
            return;
        }
        messageStreamId = streamId;
        live = true;
        liveSince = System.nanoTime();
        setState(DestinationState.LIVE, null);
        relay.destinationLive(this);
    }

    @Override
    public void rejected(String statusCode, String description) {
        rejected = true;
        lastError = "publish rejected: " + statusCode + (description.isEmpty() ? "" : " (" + description + ")");
        log.warn("event=destination-rejected channel={} destination={} url={} code={} description=\"{}\"",
                channelName, name, url.redacted(), statusCode, description);
    }

    private void dropped(String reason) {
        if (stopped) {
            return;
        }
        boolean wasLive = live;
        live = false;
        channel = null;
        if (wasLive && (System.nanoTime() - liveSince) >= TimeUnit.MILLISECONDS.toNanos(STABLE_MS)) {
            backoff.reset();
        }
        long delay = rejected ? REJECTED_RETRY_MS : backoff.nextDelayMs();
        reconnects++;
        setState(rejected ? DestinationState.FAILED : DestinationState.RETRYING, reason);
        log.warn("event=destination-down channel={} destination={} url={} reason=\"{}\" retryInMs={}",
                channelName, name, url.redacted(), reason, delay);
        retry = loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * Writes one pre-encoded message.
     *
     * @param encoded borrowed; this method writes a retained duplicate
     * @param keyframe whether the message is a video keyframe (a resync point)
     * @param header whether it is a sequence header or metadata (never dropped)
     */
    void write(ByteBuf encoded, boolean keyframe, boolean header) {
        if (!live) {
            return;
        }
        if (awaitingKeyframe && !header) {
            if (!keyframe) {
                packetsDropped++;
                return;
            }
            awaitingKeyframe = false;
        }
        if (!header && !channel.isWritable()) {
            // Behind: drop until the next keyframe so the destination resumes on a decodable picture.
            packetsDropped++;
            awaitingKeyframe = true;
            return;
        }
        bytesSent += encoded.readableBytes();
        packetsSent++;
        channel.writeAndFlush(encoded.retainedDuplicate(), channel.voidPromise());
    }

    /** Resets the keyframe gate: the next media written must start with a keyframe. */
    void awaitKeyframe() {
        awaitingKeyframe = true;
    }

    boolean isLive() {
        return live;
    }

    int messageStreamId() {
        return messageStreamId;
    }

    void stop() {
        loop.execute(() -> {
            stopped = true;
            live = false;
            if (retry != null) {
                retry.cancel(false);
            }
            if (channel != null) {
                channel.close();
            }
            setState(DestinationState.DISABLED, null);
        });
    }

    DestinationStatus status() {
        return new DestinationStatus(name, url.redacted(), state, bytesSent, packetsSent, packetsDropped, reconnects, lastError);
    }

    private void setState(DestinationState next, String error) {
        if (error != null) {
            lastError = error;
        }
        if (next != state) {
            log.info("event=destination-state channel={} destination={} from={} to={}{}", channelName, name, state, next,
                    error == null ? "" : " reason=\"" + error + "\"");
            state = next;
        }
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "unknown";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
