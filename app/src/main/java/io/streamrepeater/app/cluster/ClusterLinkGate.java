package io.streamrepeater.app.cluster;

import io.streamrepeater.channel.InputSession;
import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.rtmp.session.PublishDecision;
import io.streamrepeater.rtmp.session.PublishGate;
import io.streamrepeater.rtmp.session.Publisher;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner's side of the cluster link: accepts a publish only under a valid {@link LinkStreamName} (signed with the
 * cluster's {@link LinkKey}, not expired) and opens the named input of the named channel, as the ingest listeners
 * open an input for an encoder's key, recording the node the encoder is connected to (shown as the input's
 * {@code node}). Everything else is refused with {@code NetStream.Publish.BadName}, logged once per address (the
 * name and its signature never).
 */
public final class ClusterLinkGate implements PublishGate {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterLinkGate.class);
    /** How the input's status shows a forwarded publish. */
    public static final String TRANSPORT = "cluster";
    /** At most this many addresses are remembered as already logged; the set starts afresh when full. */
    static final int LOGGED_ADDRESSES_MAX = 4096;

    /** The port this gate needs: this node's live channels by name. */
    @FunctionalInterface
    public interface Channels {
        /** @return the live channel of that name on this node, or null */
        LiveChannel find(String name);
    }

    private final LinkKey key;
    private final Channels channels;
    private final Clock clock;
    private final Set<String> loggedAddresses = ConcurrentHashMap.newKeySet();

    /**
     * @param channels the channels forwarded inputs may publish to (with leases: the ones this node owns)
     * @param clock for the expiry of link names (the system's UTC clock in the server)
     */
    public ClusterLinkGate(LinkKey key, Channels channels, Clock clock) {
        this.key = key;
        this.channels = channels;
        this.clock = clock;
    }

    @Override
    public PublishDecision publish(String streamKey, Publisher publisher) {
        LinkStreamName.Check check =
                LinkStreamName.verify(streamKey, key, clock.instant().getEpochSecond());
        if (check instanceof LinkStreamName.Check.Refused refused) {
            return refuse(publisher, refused.reason());
        }
        LinkStreamName name = ((LinkStreamName.Check.Valid) check).name();
        LiveChannel channel = channels.find(name.channel());
        String label = name.channel() + "/" + name.input() + " from node " + name.node();
        if (channel == null) {
            return refuse(
                    publisher,
                    "no channel " + name.channel() + " on this node (forwarded by node " + name.node() + ")");
        }
        InputSession session = channel.openInput(
                name.input(),
                PublishedInput.address(publisher),
                () -> publisher.disconnect("taken over by a new publisher on " + label),
                TRANSPORT,
                name.node());
        if (session == null) {
            return refuse(publisher, "input " + label + " is unknown here or already live");
        }
        LOG.info(
                "event=cluster-input-accepted channel={} input={} node={} remote={}",
                name.channel(),
                name.input(),
                name.node(),
                PublishedInput.address(publisher));
        return PublishedInput.accepted(session, channel, label);
    }

    private PublishDecision refuse(Publisher publisher, String reason) {
        String host = PublishedInput.host(publisher);
        if (loggedAddresses.size() >= LOGGED_ADDRESSES_MAX) {
            loggedAddresses.clear();
        }
        if (loggedAddresses.add(host)) {
            LOG.warn(
                    "event=cluster-link-refused remote={} reason=\"{}\" note=\"logged once per address\"",
                    host,
                    reason);
        } else {
            LOG.debug("event=cluster-link-refused remote={} reason=\"{}\"", host, reason);
        }
        return new PublishDecision.Rejected("NetStream.Publish.BadName", "cluster link refused: " + reason);
    }
}
