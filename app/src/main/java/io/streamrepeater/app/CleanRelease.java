package io.streamrepeater.app;

import io.netty.util.concurrent.Future;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Break before make for every lease this node gives up of its own accord (a drain, a channel whose inputs left, the
 * backup ingests moving to another node): a lease held but no longer wanted is kept until what it covers has been
 * closed cleanly (every destination unpublished), and only then left to the keeper to release. Releasing first would
 * revoke the write fence at once and drop the connections without a goodbye, and a platform that still holds the
 * session refuses the next node's publish as a name in use until it notices. A lease whose close has begun is given
 * up even if it is wanted again meanwhile (what it covered is closed); the keeper acquires it again at a later round.
 * Used on the lease keeper's thread.
 */
final class CleanRelease {
    private static final Logger LOG = LoggerFactory.getLogger(CleanRelease.class);

    private final String node;
    private final Function<String, Future<Void>> close;
    /** The leases whose clean close has begun, with its completion; keeper thread. */
    private final Map<String, Future<Void>> closing = new HashMap<>();

    /**
     * @param node this node's name (logs)
     * @param close closes what a lease covers cleanly; the future completes once it is closed
     */
    CleanRelease(String node, Function<String, Future<Void>> close) {
        this.node = node;
        this.close = close;
    }

    /**
     * @param want the leases this node wants now
     * @param held the leases it holds
     * @return the leases to keep: those wanted whose close has not begun, and those held whose clean close has not
     *     finished (a close begins here for each held lease the first time it is not wanted)
     */
    Set<String> keep(Set<String> want, Set<String> held) {
        closing.keySet().retainAll(held);
        Set<String> keep = new HashSet<>();
        for (String lease : want) {
            if (!closing.containsKey(lease)) {
                keep.add(lease);
            }
        }
        for (String lease : held) {
            Future<Void> closed = closing.get(lease);
            if (closed == null && !want.contains(lease)) {
                LOG.info("event=lease-closing lease={} node={}", lease, node);
                closed = close.apply(lease);
                closing.put(lease, closed);
            }
            if (closed != null && !closed.isDone()) {
                keep.add(lease);
            }
        }
        return keep;
    }

    /** @return the leases whose clean close has begun and that are still held */
    Set<String> closing() {
        return Set.copyOf(closing.keySet());
    }

    /** Forgets every close begun (a drain undone: what is held again is closed again when given up). */
    void forget() {
        closing.clear();
    }
}
