package io.streamrepeater.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A throwaway certificate authority and a server certificate it signed for {@code DNS:localhost} and
 * {@code IP:127.0.0.1}, made with the openssl CLI (EC P-256 keys, valid two days). For TLS servers in
 * tests; a client trusts {@link #caCertFile()} and nothing else.
 *
 * @param caCertFile the CA certificate (PEM) a client should trust
 * @param serverCertFile the server certificate (PEM)
 * @param serverKeyFile the server's private key (PEM, unencrypted PKCS#8)
 */
public record LocalhostCertificates(Path caCertFile, Path serverCertFile, Path serverKeyFile) {

    private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(20);

    /** Generates the CA and the server certificate into {@code directory} (created if absent). */
    public static LocalhostCertificates generate(Path directory) {
        try {
            Files.createDirectories(directory);
            Path caKey = directory.resolve("test-ca.key");
            Path caCert = directory.resolve("test-ca.pem");
            Path serverKey = directory.resolve("localhost.key");
            Path serverRequest = directory.resolve("localhost.csr");
            Path serverCert = directory.resolve("localhost.pem");
            Path extensions = directory.resolve("localhost.ext");
            Path log = directory.resolve("openssl.log");
            Files.writeString(extensions, """
                    subjectAltName=DNS:localhost,IP:127.0.0.1
                    basicConstraints=CA:FALSE
                    keyUsage=critical,digitalSignature,keyEncipherment
                    extendedKeyUsage=serverAuth
                    """);
            run(log, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", caKey.toString(), "-out", caCert.toString(), "-days", "2",
                    "-subj", "/CN=stream-repeater test CA",
                    "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign");
            run(log, "openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", serverKey.toString(), "-out", serverRequest.toString(),
                    "-subj", "/CN=localhost");
            run(log, "openssl", "x509", "-req", "-in", serverRequest.toString(), "-CA", caCert.toString(),
                    "-CAkey", caKey.toString(), "-CAcreateserial", "-out", serverCert.toString(), "-days", "2",
                    "-extfile", extensions.toString());
            return new LocalhostCertificates(caCert, serverCert, serverKey);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write test certificates into " + directory, e);
        }
    }

    private static void run(Path log, String... command) {
        try (ExternalProcess openssl = ExternalProcess.start("openssl", List.of(command), log)) {
            int exit = openssl.waitFor(OPENSSL_TIMEOUT).orElseThrow(() -> new IllegalStateException(
                    "openssl did not finish within " + OPENSSL_TIMEOUT + ": " + String.join(" ", command)));
            if (exit != 0) {
                throw new IllegalStateException("openssl exited with " + exit + " for " + String.join(" ", command)
                        + "\n" + openssl.log());
            }
        }
    }
}
