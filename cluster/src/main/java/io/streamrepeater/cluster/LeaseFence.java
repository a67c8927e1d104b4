package io.streamrepeater.cluster;

import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The self-fencing rule of one channel's lease, on the node's own monotonic clock: the check a writer makes before
 * every write to the channel's destinations.
 *
 * <p>The rule. The clock is read <em>before</em> the renew (or acquire) statement is sent ({@link #beginAttempt()});
 * when the store confirms, the node may write until {@code sentAt + leaseMs - margin} ({@link #confirmed}). The
 * store set the lease's expiry to {@code leaseMs} after its own {@code now()}, which comes after {@code sentAt} in
 * real time, so no other node can take the lease before the fence has run out here, by at least {@code margin}:
 * whatever happens to this node (a long GC pause, SIGSTOP, a frozen VM, a cut network), it stops writing before
 * another node may start. A renewal that fails or comes back late does not extend the fence; one the store
 * refuses (the lease is another node's now) closes it at once ({@link #revoke()}).
 *
 * <p>The default margin, {@link #defaultMarginMs(long) max(leaseMs / 5, 200 ms)}, covers what the rule above does
 * not: the two clocks running at slightly different rates (NTP slews a clock by at most 0.05 %, 15 ms over a
 * 30 s lease), a write that passed the check just before the deadline and is still on its way out (an event-loop
 * task, socket buffers), and a short stop-the-world pause between the check and the write. It leaves 80 % of the
 * lease usable, so that with renewals every {@code leaseMs / 3} the first two may fail without the node having to
 * stop writing.
 *
 * <p>Threading: updated by one thread (the {@link LeaseKeeper}'s), read by writers on any thread; the state is one
 * immutable value behind a volatile field, so {@link #mayWrite()} takes no lock.
 */
public final class LeaseFence {
    /** The smallest default margin: below it a write in flight and a short pause are no longer covered. */
    static final long MIN_MARGIN_MS = 200;

    private final long leaseNanos;
    private final long marginNanos;
    private final LongSupplier nanoClock;
    private volatile Tenure tenure;

    /** One confirmed tenure: who may write until when, on {@link #nanoClock}. */
    private record Tenure(long epoch, long sentAtNanos, long untilNanos) {}

    /**
     * A fence with the {@link #defaultMarginMs(long) default margin}.
     *
     * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime} in production)
     */
    public LeaseFence(long leaseMs, LongSupplier nanoClock) {
        this(leaseMs, defaultMarginMs(leaseMs), nanoClock);
    }

    /**
     * @param leaseMs the lease the store grants at each acquire and renewal
     * @param marginMs the safety margin, less than the lease
     * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime} in production)
     */
    public LeaseFence(long leaseMs, long marginMs, LongSupplier nanoClock) {
        if (leaseMs <= 0 || marginMs < 0 || marginMs >= leaseMs) {
            throw new IllegalArgumentException(
                    "lease fence needs 0 <= margin < lease, not lease " + leaseMs + " ms, margin " + marginMs + " ms");
        }
        this.leaseNanos = TimeUnit.MILLISECONDS.toNanos(leaseMs);
        this.marginNanos = TimeUnit.MILLISECONDS.toNanos(marginMs);
        this.nanoClock = nanoClock;
    }

    /** {@code max(leaseMs / 5, 200 ms)}: see the class comment for why. */
    public static long defaultMarginMs(long leaseMs) {
        return Math.max(leaseMs / 5, MIN_MARGIN_MS);
    }

    /**
     * Reads the clock; call it before sending the renew or acquire statement and pass the value to
     * {@link #confirmed} if the store grants the lease.
     *
     * @return the moment the attempt began, in the clock's nanoseconds
     */
    public long beginAttempt() {
        return nanoClock.getAsLong();
    }

    /**
     * The store granted (or renewed) the lease with {@code epoch} for an attempt begun at {@code sentAtNanos}: the
     * node may write until {@code sentAtNanos + leaseMs - margin}, which may already be past if the answer came
     * late. Never moves the deadline of the same tenure backwards.
     */
    public synchronized void confirmed(long sentAtNanos, long epoch) {
        Tenure current = tenure;
        if (current != null && current.epoch() == epoch && current.sentAtNanos() - sentAtNanos > 0) {
            return; // an older attempt's answer: the newer one already holds a later deadline
        }
        tenure = new Tenure(epoch, sentAtNanos, sentAtNanos + leaseNanos - marginNanos);
    }

    /**
     * Store outage ({@link PeerFailsafe}): every peer answered an ask sent at {@code sentAtNanos}, the last answer
     * arriving at {@code answeredAtNanos}, and promised not to take a lease for {@code leaseMs} after the ask reached
     * it. That extends the tenure {@code epoch} as a renewal sent at {@code sentAtNanos} would, but only a tenure
     * that is current and was still writable when the last answer came (a fence that ran out stays out: between its
     * deadline and the promise another node might have taken the lease).
     *
     * @return true if the deadline moved later
     */
    public synchronized boolean extendByPeers(long sentAtNanos, long answeredAtNanos, long epoch) {
        Tenure current = tenure;
        if (current == null
                || current.epoch() != epoch
                || answeredAtNanos - current.untilNanos() >= 0
                || sentAtNanos - current.sentAtNanos() <= 0) {
            return false;
        }
        tenure = new Tenure(epoch, sentAtNanos, sentAtNanos + leaseNanos - marginNanos);
        return true;
    }

    /** The lease is lost or given up: writes stop at once. */
    public synchronized void revoke() {
        tenure = null;
    }

    /** @return true if the node may write now: a confirmed tenure whose deadline has not passed on the clock */
    public boolean mayWrite() {
        Tenure current = tenure;
        return current != null && nanoClock.getAsLong() - current.untilNanos() < 0;
    }

    /**
     * @return true if the node may write now for the tenure {@code epoch} (a writer that connected in one tenure
     *     must not go on writing in a later one without reconnecting)
     */
    public boolean mayWrite(long epoch) {
        Tenure current = tenure;
        return current != null && current.epoch() == epoch && nanoClock.getAsLong() - current.untilNanos() < 0;
    }

    /**
     * @return nanoseconds left before the tenure {@code epoch} runs out on the clock (zero or less if it has, or if
     *     this fence holds no such tenure)
     */
    public long nanosLeft(long epoch) {
        Tenure current = tenure;
        return current == null || current.epoch() != epoch ? 0 : current.untilNanos() - nanoClock.getAsLong();
    }

    /** @return the epoch of the last confirmed tenure, or 0 if none (never held, or revoked) */
    public long epoch() {
        Tenure current = tenure;
        return current == null ? 0 : current.epoch();
    }

    /** @return the deadline of the confirmed tenure on the clock, empty if none (never held, or revoked) */
    public OptionalLong writableUntilNanos() {
        Tenure current = tenure;
        return current == null ? OptionalLong.empty() : OptionalLong.of(current.untilNanos());
    }

    /** @return when the last successful attempt began on the clock, empty if none (never held, or revoked) */
    public OptionalLong lastConfirmedSentAtNanos() {
        Tenure current = tenure;
        return current == null ? OptionalLong.empty() : OptionalLong.of(current.sentAtNanos());
    }

    /** @return the margin in milliseconds */
    public long marginMs() {
        return TimeUnit.NANOSECONDS.toMillis(marginNanos);
    }

    @Override
    public String toString() {
        Tenure current = tenure;
        return current == null
                ? "LeaseFence[none]"
                : "LeaseFence[epoch=" + current.epoch() + ", mayWrite=" + mayWrite() + "]";
    }
}
