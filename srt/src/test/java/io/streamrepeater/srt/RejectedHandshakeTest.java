package io.streamrepeater.srt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** libsrt 1.5.1's log lines (captured from a real listener) and what is read from them. */
class RejectedHandshakeTest {

    static Stream<Arguments> lines() {
        return Stream.of(
                // message as the handler receives it, socket, reason (null: not a rejection)
                Arguments.of(
                        ": @967969267:newConnection: connection rejected due to: INTERNAL REJECTION - ERROR:BADSECRET",
                        967969267,
                        "BADSECRET"),
                Arguments.of(
                        ": @400161105:newConnection: connection rejected due to: INTERNAL REJECTION - ERROR:UNSECURE",
                        400161105,
                        "UNSECURE"),
                Arguments.of(
                        ": @374930929:newConnection: connection rejected due to: INTERNAL REJECTION - ERROR:PREDEFINED:404",
                        374930929,
                        "PREDEFINED"),
                Arguments.of(": processConnectRequest: rsp(REJECT): 1010 - Incorrect passphrase", 0, null),
                Arguments.of(
                        ": interpretSrtHandshake: KMREQ result abnornal - rejecting per enforced encryption", 0, null),
                Arguments.of(": srt_accept: listener socket @374930930 is already closed", 0, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void reads(String message, int socket, String reason) {
        RejectedHandshake parsed = RejectedHandshake.parse(LibsrtLog.bare(message));
        if (reason == null) {
            assertThat(parsed).isNull();
        } else {
            assertThat(parsed).isEqualTo(new RejectedHandshake(socket, reason));
        }
    }

    static Stream<Arguments> redactions() {
        return Stream.of(
                Arguments.of(
                        "processConnectRequest: streamid=SeCrEt-1 from 127.0.0.1",
                        "processConnectRequest: streamid=<redacted> from 127.0.0.1"),
                Arguments.of("got passphrase: hunter2hunter2", "got passphrase: <redacted>"),
                Arguments.of("Stream ID = abc", "Stream ID = <redacted>"),
                Arguments.of(
                        "processConnectRequest: rsp(REJECT): 1010 - Incorrect passphrase",
                        "processConnectRequest: rsp(REJECT): 1010 - Incorrect passphrase"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("redactions")
    void masksSecretValues(String message, String logged) {
        assertThat(LibsrtLog.redact(message)).isEqualTo(logged);
    }
}
