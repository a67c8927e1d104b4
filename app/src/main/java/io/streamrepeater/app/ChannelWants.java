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
 * channel moves only when its lease runs out (the owner died, was cut off, or stopped wanting it). When it does, the
 * node with the better input should get it: a node whose best live input is the channel's third (or later) asks for
 * a channel only one lease per rank beyond the second after it saw the channel free ({@code (rank - 2) * leaseMs}), so
 * that the second input's node, which asks at once, takes it first when it is alive. While this node has promised a
 * peer to hold off (that peer's store does not answer), it asks for nothing new.
 *
 * <p>Asked by the lease keeper, on its thread only.
 */
final class ChannelWants {
    private final long leaseNanos;
    /** Channel to when this node first had a live input of it, since it last had none. */
    private final Map<String, Long> liveSince = new HashMap<>();
    /** Channel to when this node last had a live input of it. */
    private final Map<String, Long> lastLive = new HashMap<>();
    /** Channel to when this node first saw it held by nobody, since it was last held. */
    private final Map<String, Long> freeSince = new HashMap<>();
    /** Channel to when this node last had a live input of its own (not forwarded) of it. */
    private final Map<String, Long> lastLocalLive = new HashMap<>();
    /** Channel to since when this node holds its lease. */
    private final Map<String, Long> ownedSince = new HashMap<>();

    ChannelWants(long leaseMs) {
        this.leaseNanos = leaseMs * 1_000_000L;
    }

    /**
     * @param inputs each channel running here, with its inputs as this node sees them
     * @param held the channels this node holds now
     * @param heldElsewhere the channels another node holds, as last read
     * @param holdingOff whether this node promised a peer to take no lease now
     * @param nowNanos the monotonic clock
     * @return the channels to hold
     */
    Set<String> wanted(
            Map<String, List<InputStatus>> inputs,
            Set<String> held,
            Set<String> heldElsewhere,
            boolean holdingOff,
            long nowNanos) {
        Set<String> want = new HashSet<>();
        for (Map.Entry<String, List<InputStatus>> e : inputs.entrySet()) {
            String name = e.getKey();
            if (held.contains(name) || heldElsewhere.contains(name)) {
                freeSince.remove(name);
            } else {
                freeSince.putIfAbsent(name, nowNanos);
            }
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
                if (!held.contains(name) && !mayAskNow(name, rank(e.getValue(), best), nowNanos)) {
                    continue;
                }
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
        freeSince.keySet().retainAll(inputs.keySet());
        if (holdingOff) {
            want.retainAll(held);
        }
        return want;
    }

    /** 1 for the channel's first input, 2 for the next priority, and so on. */
    private static int rank(List<InputStatus> inputs, int priority) {
        int rank = 1;
        for (InputStatus input : inputs) {
            if (input.priority() < priority) {
                rank++;
            }
        }
        return rank;
    }

    /**
     * @return true if this node may ask for the channel now: its rank is 1 or 2, or it has seen the channel free for
     *     one lease per rank beyond the second. A channel this node last saw held is not asked for by a later
     *     rank: that reading may be stale, and the store would grant an expired lease at once, before the better
     *     node had its turn.
     */
    private boolean mayAskNow(String channel, int rank, long nowNanos) {
        Long free = freeSince.get(channel);
        return rank <= 2 || (free != null && nowNanos - free >= (rank - 2) * leaseNanos);
    }

    /**
     * The channels whose backup ingests this node should push (cluster mode, destinations with a {@code backupUrl} in
     * {@code both} mode). A node that does not own the channel pushes them while another node owns it and it has a
     * live input of its own (kept one lease after its last one left); the owner pushes them only when no other node
     * has a live input (none is forwarded to it) and it has owned the channel for a lease (the others' inputs reach
     * it within that time), and gives them up as soon as another node's input is live.
     *
     * @param inputs each channel's inputs as this node sees them (a forwarded one names its node)
     * @param withBackupIngests the channels that have backup ingests to push
     * @param owned the channels whose lease this node holds
     * @param heldElsewhere the channels another node holds, as last read
     * @param heldBackups the channels whose backup-ingest lease this node holds
     * @param holdingOff whether this node promised a peer to take no lease now (it keeps what it holds)
     */
    Set<String> backupIngestsWanted(
            Map<String, List<InputStatus>> inputs,
            Set<String> withBackupIngests,
            Set<String> owned,
            Set<String> heldElsewhere,
            Set<String> heldBackups,
            boolean holdingOff,
            long nowNanos) {
        ownedSince.keySet().retainAll(owned);
        owned.forEach(c -> ownedSince.putIfAbsent(c, nowNanos));
        Set<String> want = new HashSet<>();
        for (String c : withBackupIngests) {
            List<InputStatus> list = inputs.getOrDefault(c, List.of());
            boolean local = list.stream().anyMatch(i -> i.node() == null && i.state() != InputState.DOWN);
            boolean remote = list.stream().anyMatch(i -> i.node() != null && i.state() != InputState.DOWN);
            if (local) {
                lastLocalLive.put(c, nowNanos);
            }
            Long last = lastLocalLive.get(c);
            boolean live = local || (heldBackups.contains(c) && last != null && nowNanos - last < leaseNanos);
            if (!live) {
                continue;
            }
            if (owned.contains(c)) {
                boolean settled = nowNanos - ownedSince.get(c) >= leaseNanos;
                if (!remote && (settled || heldBackups.contains(c))) {
                    want.add(c);
                }
            } else if (heldElsewhere.contains(c) || heldBackups.contains(c)) {
                want.add(c);
            }
        }
        lastLocalLive.keySet().retainAll(inputs.keySet());
        if (holdingOff) {
            want.retainAll(heldBackups);
        }
        return want;
    }
}
