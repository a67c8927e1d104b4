package io.streamrepeater.app;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The few HTTP calls the CLI makes to a running server. Every call is bounded (connect and answer within the
 * timeout), and a failure to reach the server becomes a message that says what to check.
 */
final class ApiClient {
    static final String TOKEN_ENV = "STREAM_REPEATER_TOKEN";
    private final HttpClient http;
    private final String base;
    private final String token;
    private final Duration timeout;

    ApiClient(String server, String token, Duration timeout) {
        this(server, token, timeout, null);
    }

    /** @param trust what an https:// server's certificate is checked against; null: the JVM's trust store */
    ApiClient(String server, String token, Duration timeout, javax.net.ssl.SSLContext trust) {
        this.base = baseUrl(server);
        this.timeout = timeout;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
        if (trust != null) {
            builder.sslContext(trust);
        }
        this.http = builder.build();
        this.token = token != null ? token : System.getenv(TOKEN_ENV);
        if (this.token == null || this.token.isBlank()) {
            throw new IllegalArgumentException("no admin token: pass --token or set " + TOKEN_ENV);
        }
    }

    /** The server's address as given, with {@code http://} when no scheme was, and without a trailing slash. */
    static String baseUrl(String server) {
        String text = server == null ? "" : server.strip();
        String withScheme = text.contains("://") ? text : "http://" + text;
        try {
            URI uri = new URI(withScheme);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(withScheme, "not an http(s) address with a host");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--server '" + text + "' is not an HTTP address: write it as"
                    + " http://HOST:PORT, the address of the server's dashboard and API (its httpPort)");
        }
        return withScheme.endsWith("/") ? withScheme.substring(0, withScheme.length() - 1) : withScheme;
    }

    String base() {
        return base;
    }

    HttpResponse<String> send(String method, String path, String body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw new IOException(
                    "could not connect to " + base + " within " + timeout.toSeconds() + " s: check the"
                            + " address (--server or $" + RemoteOptions.SERVER_ENV + ") and the network",
                    e);
        } catch (HttpTimeoutException e) {
            throw new IOException(
                    "no answer from " + base + " within " + timeout.toSeconds() + " s: is that the"
                            + " server's HTTP port (httpPort, not its RTMP port)? --timeout SECONDS waits longer",
                    e);
        } catch (ConnectException e) {
            throw new IOException(
                    "cannot connect to " + base + ": nothing listens there. Is the server running?"
                            + " Give its HTTP address with --server or $" + RemoteOptions.SERVER_ENV,
                    e);
        } catch (IOException e) {
            throw new IOException(
                    "no HTTP answer from " + base + " ("
                            + (e.getMessage() != null
                                    ? e.getMessage()
                                    : e.getClass().getSimpleName())
                            + "): is that the server's HTTP port (httpPort, not its RTMP port)?",
                    e);
        }
    }
}
