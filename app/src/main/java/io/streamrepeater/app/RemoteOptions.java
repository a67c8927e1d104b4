package io.streamrepeater.app;

import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where a CLI command finds the running server, how it signs in, and how long it waits. */
final class RemoteOptions {
    static final String SERVER_ENV = "STREAM_REPEATER_SERVER";

    static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

    @Option(
            names = "--server",
            paramLabel = "URL",
            description = "The server's HTTP address (the dashboard's), http:// assumed when no scheme is given"
                    + " (default: $" + SERVER_ENV + ", else http://127.0.0.1:8080).")
    String server;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description = "API token: the admin token or a scoped one (default: $STREAM_REPEATER_TOKEN).")
    String token;

    @Option(
            names = "--cacert",
            paramLabel = "FILE",
            description = "PEM certificate of the authority to trust for an https:// server (a private or test CA);"
                    + " default: the JVM's trust store.")
    java.nio.file.Path caCert;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "How long to wait to connect, and for each answer (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    ApiClient client() {
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 second, got " + timeoutSeconds);
        }
        return new ApiClient(
                server != null ? server : defaultServer(System.getenv()),
                token,
                Duration.ofSeconds(timeoutSeconds),
                caCert == null ? null : trusting(caCert));
    }

    /** A TLS context that trusts the certificates in {@code pem} (a CA) and nothing else. */
    static javax.net.ssl.SSLContext trusting(java.nio.file.Path pem) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(pem)) {
            java.security.KeyStore trust = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            for (java.security.cert.Certificate c :
                    java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + n++, c);
            }
            if (n == 0) {
                throw new IllegalArgumentException("--cacert " + pem + " holds no PEM certificate");
            }
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("--cacert " + pem + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** The server address when {@code --server} is not given: {@code $STREAM_REPEATER_SERVER}, else the local one. */
    static String defaultServer(Map<String, String> environment) {
        String fromEnvironment = environment.get(SERVER_ENV);
        return fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment : DEFAULT_SERVER;
    }
}
