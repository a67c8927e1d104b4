package io.streamrepeater.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrepeater.status.Failback;
import io.streamrepeater.status.StartMode;
import io.streamrepeater.status.Timeline;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The switch decision, case by case: (the inputs as the switcher sees them, the input the channel is on, an
 * operator's hold, failback, start) → (action, target, start, reason, hold). {@code clearMs} is 3000 in every row.
 *
 * <p>An input is written {@code name=healthy} (media with a keyframe for at least clearMs), {@code name=usable} (media
 * with a keyframe for less than clearMs: it can feed the output but is not yet healthy), or {@code name=down:REASON};
 * an input named {@code slate} is the slate. The decision is written {@code ACTION [target] [start] ["reason"]
 * [hold]}.
 */
class SwitcherTableTest {
    private static final long CLEAR_MS = 3000;

    /** Why an input cannot feed the output, one row per trigger {@link Input#unusableReason} knows. */
    private static final List<String> TRIGGERS = List.of(
            "no encoder connected",
            "encoder unpublished",
            "no media for 1200 ms",
            "no video for 1100 ms (audio still arriving)",
            "bitrate 120 kb/s below 500 kb/s for 3000 ms",
            "failed by rehearsal",
            "connected, no media yet",
            "waiting for a keyframe");

    // case | inputs | heading | hold | failback | start | decision
    private static final Object[][] TABLE = {
        // --- staying put
        {"healthy primary stays", "primary=healthy; backup=healthy", "primary", false, "sticky", "next", "STAY"},
        {
            "a usable input not yet healthy stays",
            "primary=usable; backup=healthy",
            "primary",
            false,
            "sticky",
            "next",
            "STAY"
        },
        {"nothing to send, nothing to do", "primary=down:no encoder connected", null, false, "auto", "next", "STAY"},
        // --- first start
        {
            "first start on the preferred input",
            "primary=healthy; backup=healthy",
            null,
            false,
            "sticky",
            "next",
            "SWITCH primary NEXT_KEYFRAME \"input primary available\""
        },
        {
            "first start: a healthy backup before a merely usable primary",
            "primary=usable; backup=healthy",
            null,
            false,
            "sticky",
            "cached",
            "SWITCH backup CACHED \"input backup available\""
        },
        {
            "first start: usable when nothing is healthy",
            "primary=down:no encoder connected; backup=usable",
            null,
            false,
            "auto",
            "next",
            "SWITCH backup NEXT_KEYFRAME \"input backup available\""
        },
        // --- failover order
        {
            "failover prefers healthy over higher priority",
            "primary=down:no media for 1200 ms; backup=usable; third=healthy",
            "primary",
            false,
            "sticky",
            "next",
            "SWITCH third NEXT_KEYFRAME \"input primary: no media for 1200 ms\""
        },
        {
            "failover to the highest-priority healthy input",
            "primary=down:no media for 1200 ms; backup=healthy; third=healthy",
            "primary",
            false,
            "sticky",
            "next",
            "SWITCH backup NEXT_KEYFRAME \"input primary: no media for 1200 ms\""
        },
        {
            "failover to a usable input when none is healthy",
            "primary=down:no media for 1200 ms; backup=usable",
            "primary",
            false,
            "sticky",
            "next",
            "SWITCH backup NEXT_KEYFRAME \"input primary: no media for 1200 ms\""
        },
        {
            "the input being switched to fails: the next one",
            "primary=down:no encoder connected; backup=down:no media for 1500 ms; third=usable",
            "backup",
            false,
            "sticky",
            "next",
            "SWITCH third NEXT_KEYFRAME \"input backup: no media for 1500 ms\""
        },
        // --- the slate
        {
            "the slate when no real input can feed the output",
            "primary=down:no encoder connected; backup=down:no media for 1100 ms; slate=healthy",
            "backup",
            false,
            "sticky",
            "next",
            "SLATE slate NEXT_KEYFRAME \"input backup: no media for 1100 ms\""
        },
        {
            "the slate starts from its cache when the policy says cached",
            "primary=down:no encoder connected; slate=healthy",
            "primary",
            false,
            "auto",
            "cached",
            "SLATE slate CACHED \"input primary: no encoder connected\""
        },
        {
            "the slate is left for a usable real input at once, whatever the failback",
            "primary=down:no encoder connected; backup=usable; slate=healthy",
            "slate",
            false,
            "manual",
            "next",
            "SWITCH backup NEXT_KEYFRAME \"input backup available\""
        },
        {
            "the slate is left for the best real input",
            "primary=usable; backup=healthy; slate=healthy",
            "slate",
            false,
            "sticky",
            "next",
            "SWITCH backup NEXT_KEYFRAME \"input backup available\""
        },
        {
            "the slate stays while no real input can feed the output",
            "primary=down:waiting for a keyframe; slate=healthy",
            "slate",
            false,
            "auto",
            "next",
            "STAY"
        },
        {
            "the slate is never a failback target",
            "primary=usable; slate=healthy",
            "primary",
            false,
            "auto",
            "next",
            "STAY"
        },
        // --- hold
        {
            "hold when nothing can feed the output",
            "primary=down:no media for 1200 ms; backup=down:no encoder connected",
            "primary",
            false,
            "auto",
            "next",
            "HOLD \"input primary: no media for 1200 ms\""
        },
        {
            "hold with a slate that cannot play",
            "primary=down:no encoder connected; slate=down:waiting for a keyframe",
            "primary",
            false,
            "sticky",
            "cached",
            "HOLD \"input primary: no encoder connected\""
        },
        // --- failback
        {
            "sticky: the recovered primary waits",
            "primary=healthy; backup=healthy",
            "backup",
            false,
            "sticky",
            "next",
            "STAY"
        },
        {
            "manual: the recovered primary waits for the operator",
            "primary=healthy; backup=healthy",
            "backup",
            false,
            "manual",
            "next",
            "STAY"
        },
        {
            "auto: back to the primary once healthy",
            "primary=healthy; backup=healthy",
            "backup",
            false,
            "auto",
            "next",
            "SWITCH primary NEXT_KEYFRAME \"failback to primary (healthy for 3000 ms)\""
        },
        {
            "auto, cached: back to the primary from its cache",
            "primary=healthy; backup=usable",
            "backup",
            false,
            "auto",
            "cached",
            "SWITCH primary CACHED \"failback to primary (healthy for 3000 ms)\""
        },
        {
            "auto: not before clearMs of healthy media",
            "primary=usable; backup=healthy",
            "backup",
            false,
            "auto",
            "next",
            "STAY"
        },
        {
            "auto: back to the best higher-priority input, not past the current one",
            "primary=down:no encoder connected; second=healthy; third=healthy",
            "third",
            false,
            "auto",
            "next",
            "SWITCH second NEXT_KEYFRAME \"failback to second (healthy for 3000 ms)\""
        },
        {
            "auto: a lower-priority healthy input is no failback",
            "primary=usable; backup=healthy; third=healthy",
            "primary",
            false,
            "auto",
            "next",
            "STAY"
        },
        // --- an operator's choice
        {
            "an operator's choice holds against auto failback",
            "primary=healthy; backup=healthy",
            "backup",
            true,
            "auto",
            "next",
            "STAY hold"
        },
        {
            "an operator's choice ends when the chosen input fails",
            "primary=healthy; backup=down:failed by rehearsal",
            "backup",
            true,
            "auto",
            "next",
            "SWITCH primary NEXT_KEYFRAME \"input backup: failed by rehearsal\""
        },
        {
            "an operator's hold ends with a hold for lack of inputs",
            "primary=down:no encoder connected; backup=down:encoder unpublished",
            "backup",
            true,
            "sticky",
            "next",
            "HOLD \"input backup: encoder unpublished\""
        },
    };

    static Stream<Arguments> table() {
        return Stream.of(TABLE).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(
            String name, String inputs, String heading, boolean hold, String failback, String start, String expected) {
        assertThat(describe(Switcher.decide(views(inputs), heading, hold, policy(failback, start))))
                .as(name)
                .isEqualTo(expected);
    }

    /** Every trigger × failback × start: the primary fails with a healthy backup → switch to the backup. */
    static Stream<Arguments> triggers() {
        List<Arguments> rows = new ArrayList<>();
        for (String trigger : TRIGGERS) {
            for (String failback : List.of("sticky", "auto", "manual")) {
                for (String start : List.of("next", "cached")) {
                    rows.add(Arguments.of(trigger, failback, start));
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}, failback {1}, start {2}")
    @MethodSource("triggers")
    void everyTriggerFailsOverToTheHealthyBackup(String trigger, String failback, String start) {
        Switcher.Decision d = Switcher.decide(
                views("primary=down:" + trigger + "; backup=healthy"), "primary", false, policy(failback, start));

        assertThat(describe(d)).isEqualTo("SWITCH backup " + startMode(start) + " \"input primary: " + trigger + "\"");
    }

    /** And with the operator's hold on the failed input: the hold ends, the switch is the same. */
    @ParameterizedTest(name = "{0}, failback {1}, start {2}")
    @MethodSource("triggers")
    void everyTriggerEndsAnOperatorsHold(String trigger, String failback, String start) {
        Switcher.Decision d = Switcher.decide(
                views("primary=healthy; backup=down:" + trigger), "backup", true, policy(failback, start));

        assertThat(describe(d)).isEqualTo("SWITCH primary " + startMode(start) + " \"input backup: " + trigger + "\"");
    }

    private static List<Switcher.View> views(String spec) {
        List<Switcher.View> views = new ArrayList<>();
        for (String part : spec.split(";\\s*")) {
            String[] nameState = part.split("=", 2);
            String name = nameState[0];
            String state = nameState[1];
            boolean slate = name.equals("slate");
            int priority = views.size();
            views.add(
                    switch (state) {
                        case "healthy" -> new Switcher.View(name, priority, slate, null, CLEAR_MS);
                        case "usable" -> new Switcher.View(name, priority, slate, null, CLEAR_MS - 1);
                        default -> {
                            assertThat(state).startsWith("down:");
                            yield new Switcher.View(name, priority, slate, state.substring(5), 0);
                        }
                    });
        }
        return views;
    }

    private static FailoverPolicy policy(String failback, String start) {
        return new FailoverPolicy(
                1000, Failback.valueOf(failback.toUpperCase()), CLEAR_MS, startMode(start), Timeline.CONTINUOUS);
    }

    private static StartMode startMode(String start) {
        return start.equals("cached") ? StartMode.CACHED : StartMode.NEXT_KEYFRAME;
    }

    private static String describe(Switcher.Decision d) {
        StringBuilder s = new StringBuilder(d.action().name());
        if (d.target() != null) {
            s.append(' ').append(d.target()).append(' ').append(d.start().name());
        }
        if (d.reason() != null) {
            s.append(" \"").append(d.reason()).append('"');
        }
        if (d.operatorHold()) {
            s.append(" hold");
        }
        return s.toString();
    }
}
