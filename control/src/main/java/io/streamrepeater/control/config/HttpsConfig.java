package io.streamrepeater.control.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * The operator side over TLS: {@code server.httpsPort} serves the dashboard, the API and the metrics with the
 * certificate of {@code server.tls} (the files RTMPS ingest uses, reloaded when they change), and {@code server.http}
 * says what the plain HTTP port still does.
 *
 * @param httpsPort the HTTPS port (TCP); 0 (the default): no HTTPS
 * @param http what plain HTTP serves: everything ({@link Http#FULL}, the default without HTTPS), only the probes and the
 *     metrics with the rest redirected to HTTPS ({@link Http#REDIRECT}, the default with HTTPS), or nothing
 *     ({@link Http#OFF})
 */
public record HttpsConfig(int httpsPort, Http http) {
    /** No HTTPS; plain HTTP serves everything. */
    public static final HttpsConfig NONE = new HttpsConfig(0, Http.FULL);

    /** What the plain HTTP port serves. */
    public enum Http {
        /** Everything: the dashboard, the API, the metrics and the probes. */
        FULL,
        /**
         * {@code /healthz}, {@code /readyz} and {@code /metrics} (what probes and scrapers on the host's network
         * read); the dashboard is redirected to HTTPS and the API refused (a token must not cross the network in
         * clear, and a client that followed a redirect would already have sent it).
         */
        REDIRECT,
        /** Nothing: the plain HTTP port is not opened. */
        OFF;

        /** @return the name in the configuration file */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * @throws IllegalArgumentException naming the accepted values
         */
        public static Http of(String label) {
            return Arrays.stream(values())
                    .filter(h -> h.label().equals(label))
                    .findFirst()
                    .orElseThrow(() ->
                            new IllegalArgumentException("http must be full, redirect or off, got \"" + label + "\""));
        }
    }

    public HttpsConfig {
        ConfigRules.requirePort("httpsPort", httpsPort);
        Objects.requireNonNull(http, "http");
        if (httpsPort == 0 && http != Http.FULL) {
            throw new IllegalArgumentException("http: " + http.label()
                    + " needs httpsPort: without HTTPS, plain HTTP must serve the dashboard and the API");
        }
    }

    /** @return the default of {@code server.http} for this HTTPS port: redirect with HTTPS, full without */
    public static Http defaultHttp(int httpsPort) {
        return httpsPort == 0 ? Http.FULL : Http.REDIRECT;
    }
}
