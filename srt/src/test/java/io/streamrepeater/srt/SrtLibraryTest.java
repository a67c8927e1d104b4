package io.streamrepeater.srt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SrtLibraryTest {

    @Test
    void aMissingLibraryIsReportedWithItsReasonNotThrown() {
        SrtLibrary library = SrtLibrary.load(List.of("libdoesnotexist.so", "doesnotexisteither"));

        assertThat(library.available()).isFalse();
        assertThat(library.unavailableReason())
                .hasValueSatisfying(reason -> assertThat(reason)
                        .contains("libdoesnotexist.so: ", "doesnotexisteither: ", "libsrt1.5-openssl")
                        .doesNotContain("\n"));
        assertThat(library.toString()).contains("unavailable");
        assertThatThrownBy(library::version)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("libdoesnotexist.so");
    }

    @Test
    void theSystemLibraryLoadsAsVersionOnePointFive() {
        SrtLibrary library = SrtLibrary.load();

        assertThat(library.unavailableReason()).isEmpty();
        assertThat(library.available()).isTrue();
        assertThat(library.version()).startsWith("1.5.");
        assertThat(library.libraryName()).isIn(SrtLibrary.DEFAULT_CANDIDATES);
        assertThat(SrtLibrary.load()).isSameAs(library);
    }

    @Test
    void aMissingFirstCandidateFallsBackToTheNext() {
        SrtLibrary library = SrtLibrary.load(List.of("libdoesnotexist.so", "libsrt.so.1.5"));

        assertThat(library.available()).isTrue();
        assertThat(library.libraryName()).isEqualTo("libsrt.so.1.5");
    }
}
