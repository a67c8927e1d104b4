package io.streamrepeater.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrepeater.app.bench.SoakPlan.Action;
import io.streamrepeater.app.bench.SoakPlan.Step;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakPlanTest {

    private static List<Long> secondsOf(SoakPlan plan, Action action) {
        return plan.steps().stream()
                .filter(s -> s.action() == action)
                .map(s -> s.at().toSeconds())
                .toList();
    }

    @Test
    void fiveMinutesKillThePrimaryTwiceAndRestartOneDestination() {
        SoakPlan plan = SoakPlan.issueDefaults(Duration.ofMinutes(5), 4);
        assertThat(secondsOf(plan, Action.KILL_PRIMARY)).containsExactly(120L, 240L);
        assertThat(secondsOf(plan, Action.START_PRIMARY)).containsExactly(140L, 260L);
        assertThat(secondsOf(plan, Action.STOP_DESTINATION)).containsExactly(180L);
        assertThat(secondsOf(plan, Action.START_DESTINATION)).containsExactly(185L);
        assertThat(plan.count(Action.SAMPLE)).isEqualTo(31); // 0, 10, ..., 300 s
    }

    @Test
    void anHourTakesTheDestinationsInTurnAndEndsQuiet() {
        SoakPlan plan = SoakPlan.issueDefaults(Duration.ofMinutes(60), 4);
        assertThat(plan.count(Action.KILL_PRIMARY)).isEqualTo(29); // 2, 4, ..., 58 min
        assertThat(plan.count(Action.STOP_DESTINATION)).isEqualTo(19); // 3, 6, ..., 57 min
        assertThat(plan.steps().stream()
                        .filter(s -> s.action() == Action.STOP_DESTINATION)
                        .limit(5)
                        .map(Step::destination))
                .containsExactly(0, 1, 2, 3, 0);
        Duration quietFrom = Duration.ofMinutes(60).minusSeconds(30);
        assertThat(plan.steps())
                .filteredOn(s -> s.action() != Action.SAMPLE)
                .allSatisfy(s -> assertThat(s.at()).isLessThanOrEqualTo(quietFrom));
    }

    @Test
    void everyStopIsFollowedByAStartOfTheSameDestination() {
        SoakPlan plan = SoakPlan.issueDefaults(Duration.ofMinutes(60), 4);
        List<Step> destinationSteps = plan.steps().stream()
                .filter(s -> s.action() == Action.STOP_DESTINATION || s.action() == Action.START_DESTINATION)
                .toList();
        for (int i = 0; i < destinationSteps.size(); i += 2) {
            assertThat(destinationSteps.get(i).action()).isEqualTo(Action.STOP_DESTINATION);
            assertThat(destinationSteps.get(i + 1).action()).isEqualTo(Action.START_DESTINATION);
            assertThat(destinationSteps.get(i + 1).destination())
                    .isEqualTo(destinationSteps.get(i).destination());
        }
    }

    @Test
    void stepsAreInTimeOrderWithTheSampleFirstAtTheSameMoment() {
        SoakPlan plan = SoakPlan.issueDefaults(Duration.ofMinutes(5), 4);
        assertThat(plan.steps()).isSortedAccordingTo((a, b) -> a.at().compareTo(b.at()));
        int at120 = plan.steps().indexOf(new Step(Duration.ofSeconds(120), Action.SAMPLE, -1));
        assertThat(plan.steps().get(at120 + 1)).isEqualTo(new Step(Duration.ofSeconds(120), Action.KILL_PRIMARY, -1));
    }

    @Test
    void keylessFloodsComeEveryFiveMinutesFromNinetySeconds() {
        assertThat(secondsOf(SoakPlan.issueDefaults(Duration.ofMinutes(5), 4), Action.FLOOD))
                .containsExactly(90L);
        assertThat(secondsOf(SoakPlan.issueDefaults(Duration.ofMinutes(60), 4), Action.FLOOD))
                .containsExactly(90L, 390L, 690L, 990L, 1290L, 1590L, 1890L, 2190L, 2490L, 2790L, 3090L, 3390L);
    }

    @Test
    void aSoakShorterThanTwoMinutesOnlySamples() {
        SoakPlan plan = SoakPlan.issueDefaults(Duration.ofMinutes(1), 4);
        assertThat(plan.steps()).allSatisfy(s -> assertThat(s.action()).isEqualTo(Action.SAMPLE));
    }

    @Test
    void impossiblePlansAreRefused() {
        assertThatThrownBy(() -> SoakPlan.issueDefaults(Duration.ofSeconds(5), 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shorter than one sample interval");
        assertThatThrownBy(() -> SoakPlan.issueDefaults(Duration.ofMinutes(5), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one destination");
    }
}
