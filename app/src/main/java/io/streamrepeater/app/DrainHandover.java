package io.streamrepeater.app;

import io.netty.util.concurrent.Future;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A draining node's side of planned maintenance, break before make: new publishes are refused; each relayed channel's
 * destinations are unpublished and closed first, and only then is the channel given up (its lease released by the
 * keeper), so the next owner connects after the last frame from here. Asked by the keeper at every round, on its
 * thread; an undrain takes publishes again and forgets the drain.
 */
final class DrainHandover {
    private static final Logger LOG = LoggerFactory.getLogger(DrainHandover.class);

    /** Told when this node's drain starts and when every channel has been handed over. */
    interface Listener {
        /** The drain began with these channels relayed here. */
        void started(Collection<String> channels);

        /** Every channel the drain began with is closed here and given up. */
        void finished(Collection<String> channels);
    }

    private final String node;
    private final PublishAdmission admission;
    private final Function<String, Future<Void>> closeChannel;
    private final Listener listener;

    /** Channels whose clean close has finished (every destination unpublished): they may be released. */
    private final Set<String> closed = ConcurrentHashMap.newKeySet();
    /** Channels whose clean close has started; keeper thread. */
    private final Set<String> closing = new HashSet<>();

    private boolean started;
    private boolean finished;

    /**
     * @param node this node's name
     * @param admission refused while draining
     * @param closeChannel closes a channel's destinations cleanly; the future completes once they are closed
     * @param listener told when the drain starts and finishes
     */
    DrainHandover(
            String node, PublishAdmission admission, Function<String, Future<Void>> closeChannel, Listener listener) {
        this.node = node;
        this.admission = admission;
        this.closeChannel = closeChannel;
        this.listener = listener;
    }

    /**
     * While this node is draining: the channels it still wants, those of {@code owned} whose clean close has not
     * finished; starts the close of each one the first time it is seen.
     */
    Set<String> stillWanted(Set<String> owned) {
        if (admission.refusal() == null) {
            admission.refuse("node " + node + " is draining: publish to another node of the cluster");
            LOG.info("event=publishes-refused node={} reason=draining", node);
        }
        if (!started) {
            started = true;
            LOG.info("event=drain-started node={} channels={}", node, owned.size());
            listener.started(Set.copyOf(owned));
        }
        Set<String> keep = new HashSet<>();
        for (String channel : owned) {
            if (closed.contains(channel)) {
                continue;
            }
            keep.add(channel);
            if (closing.add(channel)) {
                LOG.info("event=drain-channel channel={} node={}", channel, node);
                closeChannel.apply(channel).addListener(f -> closed.add(channel));
            }
        }
        if (keep.isEmpty() && !finished) {
            finished = true;
            LOG.info("event=drain-finished node={} channels={}", node, closing.size());
            listener.finished(Set.copyOf(closing));
        }
        return keep;
    }

    /** This node is not (or no longer) draining: publishes are taken, and a past drain is forgotten. */
    void notDraining() {
        if (admission.refusal() != null) {
            admission.admit();
            LOG.info("event=publishes-taken node={}", node);
        }
        if (started) {
            LOG.info("event=undrained node={}", node);
            started = false;
            finished = false;
            closing.clear();
            closed.clear();
        }
    }
}
