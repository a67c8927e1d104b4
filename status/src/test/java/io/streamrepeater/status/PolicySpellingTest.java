package io.streamrepeater.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The policy enums are spelled this way in the configuration file, the API and the store: the spellings are a
 * contract (DESIGN §4), a renamed constant must not change them.
 */
class PolicySpellingTest {
    @Test
    void failbackIsSpelledInLowerCase() {
        assertThat(Arrays.stream(Failback.values()).map(Failback::yamlName))
                .containsExactly("sticky", "auto", "manual");
    }

    @Test
    void startModeIsSpelledWithAHyphen() {
        assertThat(Arrays.stream(StartMode.values()).map(StartMode::yamlName))
                .containsExactly("cached", "next-keyframe");
    }

    @Test
    void timelineIsSpelledInLowerCase() {
        assertThat(Arrays.stream(Timeline.values()).map(Timeline::yamlName)).containsExactly("continuous", "realtime");
    }

    @Test
    void destinationModeIsSpelledInLowerCase() {
        assertThat(Arrays.stream(DestinationMode.values()).map(DestinationMode::yamlName))
                .containsExactly("both", "fallback");
    }
}
