package io.streamrepeater.srt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One table: what callers send as a stream id, and the key or the refusal it gives. */
class StreamIdTest {
    private static final String MALFORMED = "MALFORMED";
    private static final String NOT_A_PUBLISH = "NOT_A_PUBLISH";

    static Stream<Arguments> streamIds() {
        return Stream.of(
                // name, stream id as sent, expected key or refusal
                Arguments.of("plain key", "k3y-Secret_01", "k3y-Secret_01"),
                Arguments.of("plain key with punctuation kept whole", "a,b=c/d", "a,b=c/d"),
                Arguments.of("access control, r then m", "#!::r=k3y,m=publish", "k3y"),
                Arguments.of("access control, m then r", "#!::m=publish,r=k3y", "k3y"),
                Arguments.of("access control, mode absent means publish", "#!::r=k3y", "k3y"),
                Arguments.of("access control, user ignored", "#!::u=alice,r=k3y,m=publish", "k3y"),
                Arguments.of(
                        "access control, host session and type ignored", "#!::h=example.org,s=1,t=stream,r=k3y", "k3y"),
                Arguments.of("access control, '=' inside the key kept", "#!::r=a=b,m=publish", "a=b"),
                Arguments.of("empty", "", MALFORMED),
                Arguments.of("null", null, MALFORMED),
                Arguments.of("access control without r", "#!::m=publish", MALFORMED),
                Arguments.of("access control with empty r", "#!::r=,m=publish", MALFORMED),
                Arguments.of("access control, item without '='", "#!::r=k3y,publish", MALFORMED),
                Arguments.of("access control, empty item", "#!::r=k3y,,m=publish", MALFORMED),
                Arguments.of("access control, r twice", "#!::r=k3y,r=other", MALFORMED),
                Arguments.of("access control, unknown key", "#!::r=k3y,x=1", MALFORMED),
                Arguments.of("access control, unknown mode", "#!::r=k3y,m=play", MALFORMED),
                Arguments.of("nested access control form", "#!:{r=k3y}", MALFORMED),
                Arguments.of("access control, empty", "#!::", MALFORMED),
                Arguments.of("request: we only ingest", "#!::r=k3y,m=request", NOT_A_PUBLISH),
                Arguments.of("bidirectional: we only ingest", "#!::m=bidirectional,r=k3y", NOT_A_PUBLISH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streamIds")
    void parses(String name, String raw, String expected) {
        if (expected.equals(MALFORMED) || expected.equals(NOT_A_PUBLISH)) {
            assertThatThrownBy(() -> StreamId.parse(raw))
                    .isInstanceOfSatisfying(StreamId.InvalidStreamIdException.class, e -> {
                        assertThat(e.problem().name()).isEqualTo(expected);
                        assertThat(e.getMessage()).doesNotContain("k3y");
                    });
        } else {
            StreamId id = assertParses(raw);
            assertThat(id.streamKey()).isEqualTo(expected);
            assertThat(id.toString()).doesNotContain(expected);
        }
    }

    private static StreamId assertParses(String raw) {
        try {
            return StreamId.parse(raw);
        } catch (StreamId.InvalidStreamIdException e) {
            throw new AssertionError("expected " + raw + " to parse, got: " + e.getMessage(), e);
        }
    }
}
