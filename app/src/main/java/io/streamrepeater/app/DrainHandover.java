package io.streamrepeater.app;

import io.netty.util.concurrent.Future;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
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
    private final CleanRelease release;
    private final Listener listener;

    /** Every channel the drain began to close; keeper thread. */
    private final Set<String> handedOver = new HashSet<>();

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
        this.release = new CleanRelease(node, closeChannel);
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
        Set<String> keep = release.keep(Set.of(), owned);
        handedOver.addAll(release.closing());
        if (keep.isEmpty() && !finished) {
            finished = true;
            LOG.info("event=drain-finished node={} channels={}", node, handedOver.size());
            listener.finished(Set.copyOf(handedOver));
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
            handedOver.clear();
            release.forget();
        }
    }
}
