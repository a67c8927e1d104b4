package io.streamrepeater.control.api;

import io.streamrepeater.control.config.HttpsConfig;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Where the operator side listens.
 *
 * @param host the address both listeners bind (an IP literal, {@code localhost}, or {@code 0.0.0.0} for every IPv4
 *     interface)
 * @param httpPort the plain HTTP port (0: any free one); not opened when {@code http} is {@link HttpsConfig.Http#OFF}
 * @param http what plain HTTP serves
 * @param httpsPort the HTTPS port; -1: no HTTPS (0: any free one)
 * @param tls the certificate HTTPS starts with; null without HTTPS
 */
public record HttpListeners(String host, int httpPort, HttpsConfig.Http http, int httpsPort, SSLContext tls) {
    public HttpListeners {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(http, "http");
        if ((httpsPort >= 0) != (tls != null)) {
            throw new IllegalArgumentException("HTTPS needs its certificate, and a certificate its port");
        }
        if (httpsPort < 0 && http != HttpsConfig.Http.FULL) {
            throw new IllegalArgumentException("http " + http.label() + " needs HTTPS");
        }
    }

    /** Plain HTTP only, serving everything. */
    public static HttpListeners plain(String host, int httpPort) {
        return new HttpListeners(host, httpPort, HttpsConfig.Http.FULL, -1, null);
    }

    boolean https() {
        return httpsPort >= 0;
    }
}
