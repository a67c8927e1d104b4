package io.streamrepeater.cluster;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one node's channel leases: every {@code leaseMs / 3} it renews the leases it holds, gives up those it no
 * longer wants, and tries to acquire the wanted channels that are free or expired, reporting each change to a
 * {@link LeaseListener}. Which channels the node wants is given to it (the owner-choice policy is not its job).
 *
 * <p>Each channel has one {@link LeaseFence} for the keeper's lifetime ({@link #fence(String)}): every successful
 * renewal or acquire extends it from the moment the statement was sent; a refused renewal closes it at once; a
 * store error does not touch it, so it runs out by itself {@code leaseMs - margin} after the last success, and the
 * loss is reported ({@link LeaseLossReason#FENCE_EXPIRED}) at the first round after that.
 *
 * <p>Threading and time: all store calls and listener calls run on one daemon thread of the keeper's own, one
 * round at a time (fixed delay, so a slow round never piles up rounds behind it). Each store call is bounded by the
 * store's statement timeout; after a store error the round makes no more calls (their fences keep running out on
 * their own), so a round lasts at most about one call's bound during an outage. {@link #fence(String)} and
 * {@link #owned()} may be called from any thread. The fences use the injected monotonic clock.
 *
 * <p>With a {@link PeerFailsafe}, a second thread watches the renewals: a store that hangs (a cut network: packets
 * vanish, nothing is refused) holds the keeper's thread in a call for as long as the call's bound, connection
 * attempts included, and the fence could run out before the keeper even learns the store is gone. So as soon as a
 * store call has waited longer than a tick (a healthy store answers in milliseconds), a tenure's renewal is late, or
 * the store failed, the watch asks the peers and extends the fences by what every peer confirmed, whatever the
 * keeper's thread is doing.
 *
 * <p>{@link #close()} stops the rounds and releases nothing: a node that stops behaves like one that crashed, its
 * fences run out and its leases expire. Releasing is explicit: stop wanting a channel.
 */
public final class LeaseKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final ClusterStore store;
    private final String node;
    private final long leaseMs;
    private final long marginMs;
    private final Supplier<Set<String>> wanted;
    private final LeaseListener listener;
    private final LongSupplier nanoClock;
    private final PeerFailsafe failsafe;
    private final ScheduledExecutorService rounds;
    /** The failsafe's watch over the renewals; null without a failsafe. */
    private final ScheduledExecutorService watch;

    private final Map<String, LeaseFence> fences = new ConcurrentHashMap<>();

    /** Channel to epoch of the tenures held; only the keeper's thread touches it. */
    private final Map<String, Long> held = new HashMap<>();
    /** Channels whose store failure was already logged (one warning per outage, not one per round). */
    private final Set<String> failing = new HashSet<>();
    /** The last store call failed and none has succeeded since; written by the keeper's thread, read by the watch. */
    private volatile boolean storeDown;
    /** The watch asked the peers since the store last answered; set by the watch, cleared by the keeper's thread. */
    private volatile boolean peersAsked;
    /** When the store call in progress began (the clock's nanoseconds), 0 if none; keeper thread, read by the watch. */
    private volatile long callSince;

    private Set<String> lastWanted = Set.of();
    private volatile Map<String, Long> ownedSnapshot = Map.of();
    private boolean started;

    /**
     * @param store the shared store
     * @param node this node's name
     * @param leaseMs the lease (1000..30000 in the configuration)
     * @param wanted the channels this node should own now; read at every round, on the keeper's thread
     * @param listener told of every channel gained or lost
     * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime} in production)
     */
    public LeaseKeeper(
            ClusterStore store,
            String node,
            long leaseMs,
            Supplier<Set<String>> wanted,
            LeaseListener listener,
            LongSupplier nanoClock) {
        this(store, node, leaseMs, wanted, listener, nanoClock, PeerFailsafe.NONE);
    }

    /**
     * A keeper whose fences, while the store does not answer, are extended by what every peer confirms.
     *
     * @param failsafe asks the peers during a store outage ({@link PeerFailsafe})
     */
    public LeaseKeeper(
            ClusterStore store,
            String node,
            long leaseMs,
            Supplier<Set<String>> wanted,
            LeaseListener listener,
            LongSupplier nanoClock,
            PeerFailsafe failsafe) {
        this.failsafe = Objects.requireNonNull(failsafe, "failsafe");
        this.store = Objects.requireNonNull(store, "store");
        this.node = ClusterNode.requireName(node);
        this.leaseMs = leaseMs;
        this.marginMs = LeaseFence.defaultMarginMs(leaseMs);
        if (marginMs >= leaseMs) {
            throw new IllegalArgumentException("leaseMs " + leaseMs + " is too short for a margin of " + marginMs
                    + " ms; the configuration allows 1000..30000");
        }
        this.wanted = Objects.requireNonNull(wanted, "wanted");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.rounds = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "lease-keeper-" + node);
            thread.setDaemon(true);
            return thread;
        });
        this.watch = failsafe == PeerFailsafe.NONE
                ? null
                : Executors.newSingleThreadScheduledExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "lease-failsafe-" + node);
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * Starts the rounds: the first now, then one every {@link #tickMs()} after the end of the previous one. Every
     * {@link #TICKS_PER_RENEWAL}-th round renews the leases held; the others only give up what is no longer wanted and
     * ask for what is wanted and free, so a channel released by a draining node is taken within a tick, not a renewal
     * period.
     */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("lease keeper of node " + node + " already started");
        }
        started = true;
        rounds.scheduleWithFixedDelay(this::round, 0, tickMs(), TimeUnit.MILLISECONDS);
        if (watch != null) {
            watch.scheduleWithFixedDelay(this::watchRenewals, tickMs(), tickMs(), TimeUnit.MILLISECONDS);
        }
    }

    /** Rounds per renewal: releases and acquisitions happen at every round, renewals at every fourth. */
    static final int TICKS_PER_RENEWAL = 4;

    /** @return the time between two rounds: a quarter of {@link #renewPeriodMs()} */
    public long tickMs() {
        return Math.max(1, renewPeriodMs() / TICKS_PER_RENEWAL);
    }

    /** @return the time between two rounds: {@code leaseMs / 3}, so two renewals in a row may fail in time */
    public long renewPeriodMs() {
        return Math.max(1, leaseMs / 3);
    }

    /**
     * @return the channel's fence (the same object for the keeper's lifetime; says no until the channel is
     *     acquired); the check to make before every write to the channel's destinations
     */
    public LeaseFence fence(String channel) {
        return fences.computeIfAbsent(channel, name -> new LeaseFence(leaseMs, marginMs, nanoClock));
    }

    /** @return channel to epoch of the tenures the keeper held at the end of its last round */
    public Map<String, Long> owned() {
        return ownedSnapshot;
    }

    /**
     * Stops the rounds, waiting at most {@code leaseMs} for one in progress (then interrupting it). Releases
     * nothing and leaves the fences to run out by themselves.
     */
    @Override
    public void close() {
        if (watch != null) {
            watch.shutdownNow();
        }
        rounds.shutdown();
        try {
            if (!rounds.awaitTermination(leaseMs, TimeUnit.MILLISECONDS)) {
                rounds.shutdownNow();
                LOG.warn("event=lease-keeper-stop-late node={} waitedMs={}", node, leaseMs);
            }
        } catch (InterruptedException e) {
            rounds.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Rounds since start; keeper thread. */
    private long roundCount;

    /** One round; never throws (a throwing task would stop the scheduler's repetition). */
    private void round() {
        try {
            Set<String> want = readWanted();
            boolean renewal = roundCount++ % TICKS_PER_RENEWAL == 0;
            boolean storeAnswers = renewal ? renewHeld(want) : releaseUnwanted(want);
            if (storeAnswers) {
                acquireWanted(want);
            }
        } catch (RuntimeException e) {
            LOG.error("event=lease-keeper-round-failed node={} error={}", node, e.toString(), e);
        } finally {
            ownedSnapshot = Map.copyOf(held);
        }
    }

    /**
     * The watch's tick: while the store failed or a renewal is overdue, what every peer confirmed extends the fences of
     * the tenures held at the end of the keeper's last round and still writable, and the peers are asked again. Never
     * throws.
     */
    private void watchRenewals() {
        try {
            // a fence that ran out stays out (between its deadline and an answer another node may have taken over)
            Map<String, Long> tenures = new HashMap<>(ownedSnapshot);
            tenures.entrySet().removeIf(t -> !fence(t.getKey()).mayWrite(t.getValue()));
            if (tenures.isEmpty() || (!storeDown && !renewalOverdue(tenures))) {
                return;
            }
            failsafe.latest()
                    .ifPresent(c -> tenures.forEach((channel, epoch) ->
                            fence(channel).extendByPeers(c.sentAtNanos(), c.answeredAtNanos(), epoch)));
            peersAsked = true;
            failsafe.ask();
        } catch (RuntimeException e) {
            LOG.error("event=lease-failsafe-round-failed node={} error={}", node, e.toString(), e);
        }
    }

    /**
     * True if a store call has been waiting for longer than a tick (a healthy store answers in milliseconds), or a
     * tenure's last confirmation is older than a renewal period and two ticks (the keeper's thread is late).
     */
    private boolean renewalOverdue(Map<String, Long> tenures) {
        long now = nanoClock.getAsLong();
        long since = callSince;
        if (since != 0 && now - since > TimeUnit.MILLISECONDS.toNanos(tickMs())) {
            return true;
        }
        long overdueNanos = TimeUnit.MILLISECONDS.toNanos(renewPeriodMs() + 2 * tickMs());
        for (String channel : tenures.keySet()) {
            java.util.OptionalLong sentAt = fence(channel).lastConfirmedSentAtNanos();
            if (sentAt.isPresent() && now - sentAt.getAsLong() > overdueNanos) {
                return true;
            }
        }
        return false;
    }

    /** Runs one store call, marking it in progress for the watch. */
    private <T> T inFlight(Supplier<T> call) {
        callSince = nanoClock.getAsLong() | 1; // never 0 while a call runs
        try {
            return call.get();
        } finally {
            callSince = 0;
        }
    }

    private Set<String> readWanted() {
        try {
            lastWanted = Set.copyOf(wanted.get());
        } catch (RuntimeException e) {
            // keep the last answer: an empty set would give up every channel because of a bug elsewhere
            LOG.warn("event=lease-wanted-failed node={} error={}", node, e.toString());
        }
        return lastWanted;
    }

    /** @return false if the store failed during the round (no more calls this round) */
    private boolean renewHeld(Set<String> want) {
        boolean storeAnswers = true;
        for (String channel : new TreeSet<>(held.keySet())) {
            long epoch = held.get(channel);
            LeaseFence fence = fence(channel);
            if (!want.contains(channel)) {
                storeAnswers &= release(channel, epoch, fence, storeAnswers);
                continue;
            }
            if (storeAnswers) {
                long sentAt = fence.beginAttempt();
                try {
                    Optional<Lease> lease = inFlight(() -> store.renew(channel, node, epoch, leaseMs));
                    recovered(channel);
                    if (lease.isPresent()) {
                        fence.confirmed(sentAt, epoch);
                        long latency = nanoClock.getAsLong() - sentAt;
                        notify(() -> listener.renewed(channel, latency));
                        continue;
                    }
                    fence.revoke();
                    lost(channel, epoch, LeaseLossReason.RENEW_REFUSED);
                    continue;
                } catch (ClusterStoreException e) {
                    storeAnswers = false;
                    storeFailed(channel, "renew", epoch, e);
                }
            }
            if (!fence.mayWrite(epoch)) {
                lost(channel, epoch, LeaseLossReason.FENCE_EXPIRED);
            }
        }
        return storeAnswers;
    }

    /** Between renewals: gives up the held channels no longer wanted. @return false if the store failed */
    private boolean releaseUnwanted(Set<String> want) {
        boolean storeAnswers = true;
        for (String channel : new TreeSet<>(held.keySet())) {
            if (!want.contains(channel)) {
                storeAnswers &= release(channel, held.get(channel), fence(channel), storeAnswers);
            }
        }
        return storeAnswers;
    }

    /** Stops writing first, then tells the store; if the store does not answer, the lease expires by itself. */
    private boolean release(String channel, long epoch, LeaseFence fence, boolean storeAnswers) {
        fence.revoke();
        boolean answered = storeAnswers;
        if (storeAnswers) {
            try {
                inFlight(() -> {
                    store.release(channel, node, epoch);
                    return null;
                });
                recovered(channel);
            } catch (ClusterStoreException e) {
                answered = false;
                storeFailed(channel, "release", epoch, e);
            }
        }
        lost(channel, epoch, LeaseLossReason.RELEASED);
        return answered;
    }

    private void acquireWanted(Set<String> want) {
        for (String channel : new TreeSet<>(want)) {
            if (held.containsKey(channel)) {
                continue;
            }
            LeaseFence fence = fence(channel);
            long sentAt = fence.beginAttempt();
            Optional<Lease> lease;
            try {
                lease = inFlight(() -> store.acquire(channel, node, leaseMs));
                recovered(channel);
            } catch (ClusterStoreException e) {
                storeFailed(channel, "acquire", 0, e);
                return;
            }
            if (lease.isPresent()) {
                long epoch = lease.get().epoch();
                fence.confirmed(sentAt, epoch);
                held.put(channel, epoch);
                LOG.info("event=lease-acquired channel={} node={} epoch={}", channel, node, epoch);
                notify(() -> listener.acquired(channel, epoch));
            }
        }
    }

    private void lost(String channel, long epoch, LeaseLossReason reason) {
        held.remove(channel);
        LOG.warn("event=lease-lost channel={} node={} epoch={} reason={}", channel, node, epoch, reason.label());
        notify(() -> listener.lost(channel, epoch, reason));
    }

    private void storeFailed(String channel, String what, long epoch, ClusterStoreException e) {
        storeDown = true;
        if (failing.add(channel)) {
            LOG.warn(
                    "event=lease-store-failed channel={} node={} action={} epoch={} error={}",
                    channel,
                    node,
                    what,
                    epoch,
                    e.getMessage());
        }
    }

    private void recovered(String channel) {
        if (storeDown || peersAsked) {
            storeDown = false;
            peersAsked = false;
            failsafe.storeAnswers();
        }
        if (failing.remove(channel)) {
            LOG.info("event=lease-store-recovered channel={} node={}", channel, node);
        }
    }

    private void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.error("event=lease-listener-failed node={} error={}", node, e.toString(), e);
        }
    }
}
