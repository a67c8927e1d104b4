package io.streamrepeater.app;

import io.streamrepeater.status.InputState;
import io.streamrepeater.status.InputStatus;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which channels a node asks the lease of (cluster mode): those with a live input here. A node whose best live input
 * of a channel is not the channel's first input waits one lease period after that input came up before asking, so
 * that at a cold start the node with the primary encoder gets the channel (no forwarding hop for the active feed). A
 * node keeps wanting a channel it holds for one lease period after its last live input of it left (an encoder that
 * reconnects at once does not move the channel). A holder is never asked to give a channel up for a better one: a
 * channel moves only when its lease runs out (the owner died, was cut off, or stopped wanting it). While this node
 * has promised a peer to hold off (that peer's store does not answer), it asks for nothing new.
 *
 * <p>Asked by the lease keeper, on its thread only.
 */
final class ChannelWants {
    private final long leaseNanos;
    /** Channel to when this node first had a live input of it, since it last had none. */
    private final Map<String, Long> liveSince = new HashMap<>();
    /** Channel to when this node last had a live input of it. */
    private final Map<String, Long> lastLive = new HashMap<>();

    ChannelWants(long leaseMs) {
        this.leaseNanos = leaseMs * 1_000_000L;
    }

    /**
     * @param inputs each channel running here, with its inputs as this node sees them
     * @param held the channels this node holds now
     * @param holdingOff whether this node promised a peer to take no lease now
     * @param nowNanos the monotonic clock
     * @return the channels to hold
     */
    Set<String> wanted(Map<String, List<InputStatus>> inputs, Set<String> held, boolean holdingOff, long nowNanos) {
        Set<String> want = new HashSet<>();
        for (Map.Entry<String, List<InputStatus>> e : inputs.entrySet()) {
            String name = e.getKey();
            int best = Integer.MAX_VALUE;
            int first = Integer.MAX_VALUE;
            for (InputStatus input : e.getValue()) {
                first = Math.min(first, input.priority());
                if (input.state() != InputState.DOWN) {
                    best = Math.min(best, input.priority());
                }
            }
            if (best != Integer.MAX_VALUE) {
                lastLive.put(name, nowNanos);
                long since = liveSince.computeIfAbsent(name, n -> nowNanos);
                if (held.contains(name) || best == first || nowNanos - since >= leaseNanos) {
                    want.add(name);
                }
            } else {
                liveSince.remove(name);
                Long last = lastLive.get(name);
                if (held.contains(name) && last != null && nowNanos - last < leaseNanos) {
                    want.add(name);
                }
            }
        }
        liveSince.keySet().retainAll(inputs.keySet());
        lastLive.keySet().retainAll(inputs.keySet());
        if (holdingOff) {
            want.retainAll(held);
        }
        return want;
    }
}
