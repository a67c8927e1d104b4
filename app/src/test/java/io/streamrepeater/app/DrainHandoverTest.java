package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DrainHandoverTest {
    private final PublishAdmission admission = new PublishAdmission();
    private final Map<String, Promise<Void>> closes = new HashMap<>();
    private final List<String> told = new ArrayList<>();
    private final DrainHandover drain = new DrainHandover("a", admission, this::close, new DrainHandover.Listener() {
        @Override
        public void started(Collection<String> channels) {
            told.add("started " + channels.stream().sorted().toList());
        }

        @Override
        public void finished(Collection<String> channels) {
            told.add("finished " + channels.stream().sorted().toList());
        }
    });

    private Future<Void> close(String channel) {
        Promise<Void> p = new DefaultPromise<>(ImmediateEventExecutor.INSTANCE);
        assertThat(closes.put(channel, p)).as("%s closed once", channel).isNull();
        return p;
    }

    @Test
    void eachChannelIsKeptUntilItsDestinationsAreClosedThenGivenUp() {
        assertThat(drain.stillWanted(Set.of("show", "final"))).containsExactlyInAnyOrder("show", "final");
        assertThat(admission.refusal()).contains("node a is draining");
        assertThat(closes).containsOnlyKeys("show", "final");
        assertThat(told).containsExactly("started [final, show]");

        closes.get("show").setSuccess(null);
        assertThat(drain.stillWanted(Set.of("show", "final")))
                .as("show closed cleanly: released; final still closing: kept")
                .containsExactly("final");
        assertThat(drain.stillWanted(Set.of("final"))).containsExactly("final");
        assertThat(told).hasSize(1);

        closes.get("final").setSuccess(null);
        assertThat(drain.stillWanted(Set.of("final"))).isEmpty();
        assertThat(drain.stillWanted(Set.of())).isEmpty();
        assertThat(told).containsExactly("started [final, show]", "finished [final, show]");
        assertThat(admission.refusal()).as("still drained: no new publish").isNotNull();
    }

    @Test
    void undrainTakesPublishesAgainAndANewDrainStartsAfresh() {
        drain.stillWanted(Set.of("show"));
        closes.get("show").setSuccess(null);
        assertThat(drain.stillWanted(Set.of("show"))).isEmpty();

        drain.notDraining();
        assertThat(admission.refusal()).isNull();

        closes.clear();
        assertThat(drain.stillWanted(Set.of("show")))
                .as("a second drain closes the channel again")
                .containsExactly("show");
        assertThat(closes).containsOnlyKeys("show");
        assertThat(told).containsExactly("started [show]", "finished [show]", "started [show]");
    }
}
