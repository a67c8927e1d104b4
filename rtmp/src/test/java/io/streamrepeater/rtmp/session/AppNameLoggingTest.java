package io.streamrepeater.rtmp.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AppNameLoggingTest {

    @Test
    void onlyTheFirstSegmentOfTheApplicationNameIsLogged() {
        assertThat(IngestSession.appForLog("live")).isEqualTo("live");
        // An encoder given the whole ingest URL as its server sends the key inside the app name.
        assertThat(IngestSession.appForLog("live/secret-key-123")).isEqualTo("live/****");
        assertThat(IngestSession.appForLog("live?token=secret")).isEqualTo("live?****");
        assertThat(IngestSession.appForLog("")).isEmpty();
        // the key given as the application (rtmp://HOST/KEY): never logged
        assertThat(IngestSession.appForLog("X9f3kQ2mZ7pL1vB8")).isEqualTo("****(16 chars)");
        assertThat(IngestSession.appForLog("flood-primary-key-0001/extra")).isEqualTo("****(22 chars)/****");
        assertThat(IngestSession.appForLog("live2")).isEqualTo("live2");
    }
}
