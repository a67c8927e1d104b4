package io.streamrepeater.app.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The timetable of a soak: memory samples at a fixed interval, the primary encoder killed periodically and
 * started again a little later, and one destination after the other stopped and started again. A
 * disruption is planned only when it has recovered a quiet period before the end, so that the end state
 * (every destination LIVE, both encoders publishing) is judged on a settled system.
 *
 * @param steps in the order to run them: by time, a sample before a disruption due at the same moment
 */
record SoakPlan(Duration length, List<Step> steps) {

    /** What to do at one moment. */
    enum Action {
        SAMPLE,
        KILL_PRIMARY,
        START_PRIMARY,
        STOP_DESTINATION,
        START_DESTINATION,
        FLOOD
    }

    /**
     * @param at time since the start of the soak
     * @param destination index of the destination for the destination actions, -1 otherwise
     */
    record Step(Duration at, Action action, int destination) {}

    /** The intervals of a soak; {@link SoakPlan#issueTiming()} are the ones of the issue. */
    record Timing(
            Duration sampleEvery,
            Duration killPrimaryEvery,
            Duration primaryDownFor,
            Duration restartDestinationEvery,
            Duration destinationDownFor,
            Duration quietBeforeEnd,
            Duration floodFirstAt,
            Duration floodEvery) {}

    SoakPlan {
        steps = List.copyOf(steps);
    }

    /**
     * Every 10 s a sample; every 2 min the primary killed for 20 s; every 3 min a destination down for 5 s; and (issue
     * 17) every 5 min from 90 s a flood of keyless connections that start huge messages (see PartialMessageFlood).
     */
    static Timing issueTiming() {
        return new Timing(
                Duration.ofSeconds(10),
                Duration.ofMinutes(2),
                Duration.ofSeconds(20),
                Duration.ofMinutes(3),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                Duration.ofSeconds(90),
                Duration.ofMinutes(5));
    }

    /** The issue's plan over {@code length} for {@code destinations} destinations, taken in turn. */
    static SoakPlan issueDefaults(Duration length, int destinations) {
        return of(length, destinations, issueTiming());
    }

    static SoakPlan of(Duration length, int destinations, Timing timing) {
        if (length.compareTo(timing.sampleEvery()) < 0) {
            throw new IllegalArgumentException(
                    "a soak of " + length + " is shorter than one sample interval (" + timing.sampleEvery() + ")");
        }
        if (destinations < 1) {
            throw new IllegalArgumentException("a soak needs at least one destination, got " + destinations);
        }
        List<Step> steps = new ArrayList<>();
        for (Duration at = Duration.ZERO; at.compareTo(length) <= 0; at = at.plus(timing.sampleEvery())) {
            steps.add(new Step(at, Action.SAMPLE, -1));
        }
        Duration lastRecovery = length.minus(timing.quietBeforeEnd());
        for (Duration at = timing.killPrimaryEvery();
                at.plus(timing.primaryDownFor()).compareTo(lastRecovery) <= 0;
                at = at.plus(timing.killPrimaryEvery())) {
            steps.add(new Step(at, Action.KILL_PRIMARY, -1));
            steps.add(new Step(at.plus(timing.primaryDownFor()), Action.START_PRIMARY, -1));
        }
        int turn = 0;
        for (Duration at = timing.restartDestinationEvery();
                at.plus(timing.destinationDownFor()).compareTo(lastRecovery) <= 0;
                at = at.plus(timing.restartDestinationEvery())) {
            int destination = turn++ % destinations;
            steps.add(new Step(at, Action.STOP_DESTINATION, destination));
            steps.add(new Step(at.plus(timing.destinationDownFor()), Action.START_DESTINATION, destination));
        }
        for (Duration at = timing.floodFirstAt(); at.compareTo(lastRecovery) <= 0; at = at.plus(timing.floodEvery())) {
            steps.add(new Step(at, Action.FLOOD, -1));
        }
        steps.sort(Comparator.comparing(Step::at).thenComparing(Step::action));
        return new SoakPlan(length, steps);
    }

    long count(Action action) {
        return steps.stream().filter(s -> s.action() == action).count();
    }
}
