package io.streamrepeater.channel;

import io.streamrepeater.status.Failback;
import io.streamrepeater.status.StartMode;
import java.util.List;

/**
 * The switch decision as a pure function (DESIGN.md §3): how the inputs look now and the policy in, what to do
 * out. No clock, no packets, no channel: {@link LiveChannel} builds one {@link View} per input at each health check
 * or media event, asks {@link #decide}, and executes the decision. A table-driven test lists the cases.
 *
 * <p>The rules, in order:
 *
 * <ol>
 *   <li>The input the channel is on (or switching to) stays while it can feed the output, unless
 *   <li>it is the slate, which is left for any real input that can feed the output, or
 *   <li>failback is {@code auto}, no operator switch holds the choice, and a higher-priority real input has been
 *       healthy ({@code clearMs} of media with a keyframe): the channel goes back to it.
 *   <li>When the current input cannot feed the output (or there is none), the channel takes the highest-priority
 *       healthy real input, else the highest-priority usable real one, else the slate, else it holds the
 *       destinations open with nothing to send. An operator's hold ends with the input it chose.
 * </ol>
 */
final class Switcher {
    private Switcher() {}

    /**
     * One input as the switcher sees it.
     *
     * @param name the input's name
     * @param priority its place in the channel's order; lower is preferred
     * @param slate whether it is the slate (a last resort, never a failback target)
     * @param unusableReason why it cannot feed the output now, or null when it can (a candidate)
     * @param usableForMs how long its current run of media has lasted (meaningful for a candidate only)
     */
    record View(String name, int priority, boolean slate, String unusableReason, long usableForMs) {
        boolean candidate() {
            return unusableReason == null;
        }

        boolean healthy(long clearMs) {
            return candidate() && usableForMs >= clearMs;
        }
    }

    /** What the channel does. */
    enum Action {
        /** Nothing changes. */
        STAY,
        /** Switch to a real input. */
        SWITCH,
        /** Switch to the slate. */
        SLATE,
        /** Stop sending (no input can feed the output) and keep the destinations' connections open. */
        HOLD
    }

    /**
     * A decision.
     *
     * @param action what to do
     * @param target the input to switch to (null for {@code STAY} and {@code HOLD})
     * @param reason why, as events and logs tell it (null for {@code STAY})
     * @param start how the target starts: from its GOP cache when it holds a keyframe ({@code CACHED}), else at its
     *     next keyframe
     * @param operatorHold whether an operator's choice still holds after this decision
     */
    record Decision(Action action, String target, String reason, StartMode start, boolean operatorHold) {}

    /**
     * Decides.
     *
     * @param inputs every input in priority order, the slate (if any) last
     * @param heading the input the channel is on or switching to, or null while holding
     * @param operatorHold whether an operator switch chose {@code heading} (automatic failback waits)
     * @param policy the channel's policy ({@code failback}, {@code clearMs}, {@code start} are used)
     */
    static Decision decide(List<View> inputs, String heading, boolean operatorHold, FailoverPolicy policy) {
        View current = find(inputs, heading);
        boolean currentUsable = current != null && current.candidate();
        boolean hold = currentUsable && operatorHold;
        View desired = choose(inputs, current, currentUsable, hold, policy);
        if (desired == current) {
            return new Decision(Action.STAY, null, null, policy.start(), hold);
        }
        String reason = reasonFor(current, desired, policy);
        if (desired == null) {
            return new Decision(Action.HOLD, null, reason, policy.start(), hold);
        }
        return new Decision(
                desired.slate() ? Action.SLATE : Action.SWITCH, desired.name(), reason, policy.start(), hold);
    }

    private static View choose(
            List<View> inputs, View current, boolean currentUsable, boolean hold, FailoverPolicy policy) {
        if (currentUsable && current.slate()) {
            View real = best(inputs, policy, false);
            return real != null ? real : current;
        }
        if (currentUsable) {
            if (policy.failback() == Failback.AUTO && !hold) {
                for (View v : inputs) {
                    if (v.priority() < current.priority() && !v.slate() && v.healthy(policy.clearMs())) {
                        return v;
                    }
                }
            }
            return current;
        }
        View real = best(inputs, policy, false);
        return real != null ? real : best(inputs, policy, true);
    }

    /** Highest-priority healthy input, else highest-priority usable one; the slate only when allowed. */
    private static View best(List<View> inputs, FailoverPolicy policy, boolean slateAllowed) {
        for (View v : inputs) {
            if ((slateAllowed || !v.slate()) && v.healthy(policy.clearMs())) {
                return v;
            }
        }
        for (View v : inputs) {
            if ((slateAllowed || !v.slate()) && v.candidate()) {
                return v;
            }
        }
        return null;
    }

    private static String reasonFor(View from, View to, FailoverPolicy policy) {
        if (from == null) {
            return to == null ? "no input" : "input " + to.name() + " available";
        }
        if (from.unusableReason() != null) {
            return "input " + from.name() + ": " + from.unusableReason();
        }
        if (from.slate()) {
            return "input " + to.name() + " available";
        }
        return "failback to " + to.name() + " (healthy for " + policy.clearMs() + " ms)";
    }

    private static View find(List<View> inputs, String name) {
        if (name == null) {
            return null;
        }
        for (View v : inputs) {
            if (v.name().equals(name)) {
                return v;
            }
        }
        return null;
    }
}
