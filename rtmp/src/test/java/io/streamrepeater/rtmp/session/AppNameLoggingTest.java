package io.streamrepeater.rtmp.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AppNameLoggingTest {

    @Test
    void onlyTheFirstSegmentOfTheApplicationNameIsLogged() {
        assertThat(IngestSession.appForLog("live")).isEqualTo("live");
        // An encoder given the whole ingest URL as its server sends the key inside the app name.
        assertThat(IngestSession.appForLog("live/secret-key-123")).isEqualTo("live/****");
        assertThat(IngestSession.appForLog("live?token=secret")).isEqualTo("live?****");
        assertThat(IngestSession.appForLog("")).isEmpty();
    }
}
