package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CleanReleaseTest {
    private final Map<String, Promise<Void>> closes = new HashMap<>();
    private final List<String> closed = new ArrayList<>();
    private final CleanRelease release = new CleanRelease("a", this::close);

    private Future<Void> close(String lease) {
        closed.add(lease);
        Promise<Void> p = new DefaultPromise<>(ImmediateEventExecutor.INSTANCE);
        closes.put(lease, p);
        return p;
    }

    @Test
    void aLeaseNoLongerWantedIsKeptUntilItsCloseFinishesThenGivenUp() {
        assertThat(release.keep(Set.of("show", "show#backup-ingests"), Set.of("show", "show#backup-ingests")))
                .containsExactlyInAnyOrder("show", "show#backup-ingests");
        assertThat(closed).isEmpty();

        Set<String> held = Set.of("show", "show#backup-ingests");
        assertThat(release.keep(Set.of("show"), held))
                .as("closing: still kept")
                .containsExactlyInAnyOrder("show", "show#backup-ingests");
        assertThat(release.keep(Set.of("show"), held)).containsExactlyInAnyOrder("show", "show#backup-ingests");
        assertThat(closed).as("closed once").containsExactly("show#backup-ingests");

        closes.get("show#backup-ingests").setSuccess(null);
        assertThat(release.keep(Set.of("show"), held)).as("closed: given up").containsExactly("show");
        assertThat(release.closing()).containsExactly("show#backup-ingests");

        // released by the keeper, then wanted again: acquired as any other
        assertThat(release.keep(Set.of("show", "show#backup-ingests"), Set.of("show")))
                .containsExactlyInAnyOrder("show", "show#backup-ingests");
        assertThat(release.closing()).isEmpty();
    }

    @Test
    void aLeaseWantedAgainWhileItClosesIsStillGivenUpOnceClosed() {
        release.keep(Set.of(), Set.of("show"));
        assertThat(release.keep(Set.of("show"), Set.of("show")))
                .as("wanted again, its close not finished: kept")
                .containsExactly("show");
        closes.get("show").setSuccess(null);
        assertThat(release.keep(Set.of("show"), Set.of("show")))
                .as("what it covered is closed: given up, to be acquired afresh")
                .isEmpty();
        assertThat(closed).containsExactly("show");
    }

    @Test
    void aLeaseWantedButNotHeldIsKeptSoTheKeeperAcquiresIt() {
        assertThat(release.keep(Set.of("show"), Set.of())).containsExactly("show");
        assertThat(closed).isEmpty();
    }
}
