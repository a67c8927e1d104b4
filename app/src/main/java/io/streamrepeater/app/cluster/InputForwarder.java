package io.streamrepeater.app.cluster;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.relay.ChannelRelay;
import io.streamrepeater.relay.DestinationSpec;
import io.streamrepeater.relay.LatencyHistogram;
import io.streamrepeater.relay.OutboundConnector;
import io.streamrepeater.relay.SupervisionSettings;
import io.streamrepeater.rtmp.session.RtmpUrl;
import io.streamrepeater.status.DestinationMode;
import io.streamrepeater.status.DestinationState;
import io.streamrepeater.status.DestinationStatus;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follower's side of the cluster link: publishes one local input of a channel to the channel's owner over RTMP,
 * under a freshly signed {@link LinkStreamName} at every connection attempt. The owner gets the input's metadata,
 * sequence headers and cached GOP from its keyframe first (so it can switch to it at once), then every packet of the
 * input on the input's own timestamps (not this node's output timeline).
 *
 * <p>Built on the relay's supervised destination: a {@link ChannelRelay} whose source is a tap on the one input
 * ({@link InputTapSource}) and whose one destination is the owner's cluster port, so the link reconnects with
 * backoff and a slow owner is handled by the same GOP-drop policy as a slow platform. While no encoder is connected
 * to the input the link is closed; when one connects it opens, and when it leaves it is unpublished cleanly, so the
 * owner sees the input come and go as if the encoder were connected to it. {@link #stop()} closes the link the same
 * way.
 *
 * <p>Runs on the channel's event loop; {@link #start} and {@link #stop()} may be called from any thread.
 */
public final class InputForwarder {
    private static final Logger LOG = LoggerFactory.getLogger(InputForwarder.class);
    /** The relay's name for the link (its log lines and status). */
    public static final String DESTINATION = "cluster-link";

    /**
     * Reconnects sooner than to a platform (the owner is a peer on the same network, and a refused link usually
     * means the owner has not opened the channel yet), the send queue and behind limits of a destination.
     */
    public static final SupervisionSettings LINK_SETTINGS =
            new SupervisionSettings(500, 5_000, 10_000, 5_000, 256 * 1024, 10_000, 8 * 1024 * 1024, 2_000, 10_000);

    private final LiveChannel channel;
    private final String input;
    private final String owner;
    private final EventLoop loop;
    private final ChannelRelay relay;
    /** Whether an encoder is connected to the input now; on the loop only. */
    private boolean inputLive;
    /** Whether the relay has its destination yet (the tap may report a live input before); on the loop only. */
    private boolean linkAdded;

    private boolean stopped;
    /** The link's last status once stopped (the relay no longer has it); read from any thread. */
    private volatile DestinationStatus stoppedStatus;

    private InputForwarder(
            LiveChannel channel,
            String input,
            String node,
            RtmpUrl ownerAddress,
            LinkKey key,
            OutboundConnector connector,
            ByteBufAllocator alloc,
            SupervisionSettings settings,
            Clock clock) {
        this.channel = channel;
        this.input = input;
        this.owner = ownerAddress.host() + ":" + ownerAddress.port();
        this.loop = (EventLoop) channel.loop();
        OutboundConnector signing = connector.withAddressing(url -> new RtmpUrl(
                url.tls(),
                url.host(),
                url.port(),
                url.app(),
                LinkStreamName.startingAt(
                                channel.name(), input, node, clock.instant().getEpochSecond())
                        .sign(key)));
        InputTapSource source = new InputTapSource(channel, input, new InputTapSource.Sessions() {
            @Override
            public void started() {
                inputStarted();
            }

            @Override
            public void ended(String reason) {
                inputEnded(reason);
            }
        });
        // on the loop: the tap reports a live input at once, before the destination below exists (see inputLive)
        this.relay = new ChannelRelay(source, loop, signing, alloc, settings, new LatencyHistogram());
        relay.addDestination(new DestinationSpec(DESTINATION, ownerAddress, null, DestinationMode.BOTH, inputLive));
        linkAdded = true;
        LOG.info(
                "event=cluster-forward-started channel={} input={} owner={} inputLive={}",
                channel.name(),
                input,
                owner,
                inputLive);
    }

    /**
     * Starts forwarding {@code input} of {@code channel} to the owner's cluster port.
     *
     * @param node this node's name (the owner shows it as the input's {@code node})
     * @param ownerHost the owner's {@code server.cluster.address}
     * @param clusterPort the owner's {@code server.cluster.clusterPort}
     * @param connector the server's outbound connector (its transport must match the channel's loop)
     * @return completes with the forwarder once it runs on the channel's loop
     * @throws IllegalArgumentException if the channel has no such input, or its loop is not a Netty event loop
     */
    public static Future<InputForwarder> start(
            LiveChannel channel,
            String input,
            String node,
            String ownerHost,
            int clusterPort,
            LinkKey key,
            OutboundConnector connector,
            ByteBufAllocator alloc,
            SupervisionSettings settings,
            Clock clock) {
        if (!(channel.loop() instanceof EventLoop loop)) {
            throw new IllegalArgumentException("channel " + channel.name() + " does not run on a Netty event loop");
        }
        if (channel.inputStatus().stream().noneMatch(i -> i.name().equals(input))) {
            throw new IllegalArgumentException("channel " + channel.name() + " has no input '" + input + "'");
        }
        // the stream name is a placeholder: every attempt signs a fresh one (see withAddressing above)
        RtmpUrl ownerAddress = new RtmpUrl(false, ownerHost, clusterPort, LinkStreamName.APP, "unsigned");
        Promise<InputForwarder> started = loop.newPromise();
        loop.execute(() -> {
            try {
                InputForwarder forwarder =
                        new InputForwarder(channel, input, node, ownerAddress, key, connector, alloc, settings, clock);
                // behind the link's own first step (queued on this loop), so its status is set when this completes
                loop.execute(() -> started.setSuccess(forwarder));
            } catch (RuntimeException e) {
                started.setFailure(e);
            }
        });
        return started;
    }

    private void inputStarted() {
        boolean wasLive = inputLive;
        inputLive = true;
        if (!linkAdded || stopped) {
            return;
        }
        if (wasLive) {
            // another encoder took the input over: its timestamps start anew, so the owner gets a new publish
            relay.disableDestination(DESTINATION);
        }
        relay.enableDestination(DESTINATION);
    }

    private void inputEnded(String reason) {
        inputLive = false;
        if (!linkAdded || stopped) {
            return;
        }
        LOG.info(
                "event=cluster-forward-idle channel={} input={} owner={} reason=\"{}\"",
                channel.name(),
                input,
                owner,
                reason);
        relay.disableDestination(DESTINATION);
    }

    /**
     * The link's state, counters and last error (the relay's destination status; {@code DISABLED} with the final
     * counters once stopped; null for the moment between the start of a stop and its end). Any thread.
     */
    public DestinationStatus status() {
        DestinationStatus stopped = stoppedStatus;
        if (stopped != null) {
            return stopped;
        }
        List<DestinationStatus> all = relay.status();
        return all.isEmpty() ? null : all.get(0);
    }

    public String channelName() {
        return channel.name();
    }

    public String inputName() {
        return input;
    }

    /**
     * Stops forwarding: the link is unpublished cleanly and closed, and the owner's input goes down as when an encoder
     * leaves. Any thread.
     *
     * @return completes when the link is closed (bounded by the relay's unpublish grace)
     */
    public Future<Void> stop() {
        Promise<Void> done = loop.newPromise();
        loop.execute(() -> {
            if (stopped) {
                done.setSuccess(null);
                return;
            }
            stopped = true;
            // the relay forgets its destination when it closes: keep the counters (on the loop, nothing is sent
            // between this snapshot and the end of the tap in close())
            DestinationStatus last = status();
            LOG.info("event=cluster-forward-stopped channel={} input={} owner={}", channel.name(), input, owner);
            relay.close().addListener(f -> {
                if (last != null) {
                    stoppedStatus = new DestinationStatus(
                            last.name(),
                            last.url(),
                            DestinationState.DISABLED,
                            null,
                            last.lastError(),
                            0,
                            0,
                            last.bytesSent(),
                            last.packetsSent(),
                            last.framesDropped(),
                            last.gopsDropped(),
                            last.reconnects(),
                            0,
                            last.peakPendingBytes(),
                            last.maxPendingBytes(),
                            false);
                }
                done.setSuccess(null);
            });
        });
        return done;
    }
}
