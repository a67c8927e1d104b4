package io.streamrepeater.control.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponseVerdictTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "200, DELIVERED",
        "201, DELIVERED",
        "202, DELIVERED",
        "204, DELIVERED",
        "299, DELIVERED",
        "408, RETRY",
        "429, RETRY",
        "500, RETRY",
        "502, RETRY",
        "503, RETRY",
        "504, RETRY",
        "400, GIVE_UP",
        "401, GIVE_UP",
        "403, GIVE_UP",
        "404, GIVE_UP",
        "410, GIVE_UP",
        "413, GIVE_UP",
        "301, GIVE_UP",
        "302, GIVE_UP",
        "307, GIVE_UP",
        "101, GIVE_UP"
    })
    void statusCodes(int status, ResponseVerdict verdict) {
        assertThat(ResponseVerdict.of(status)).isEqualTo(verdict);
    }
}
