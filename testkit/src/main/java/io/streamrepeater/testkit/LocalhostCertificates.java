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
 * tests; a client trusts {@link #caCertFile()} and nothing else. {@link #issueServerCertificate} signs
 * more server certificates with the same CA (a renewal, an RSA key).
 *
 * @param caCertFile the CA certificate (PEM) a client should trust
 * @param serverCertFile the server certificate (PEM)
 * @param serverKeyFile the server's private key (PEM, unencrypted PKCS#8)
 */
public record LocalhostCertificates(Path caCertFile, Path serverCertFile, Path serverKeyFile) {

    private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(20);
    private static final String CA_KEY_FILE = "test-ca.key";

    /** Generates the CA and the server certificate into {@code directory} (created if absent). */
    public static LocalhostCertificates generate(Path directory) {
        try {
            Files.createDirectories(directory);
            Path caKey = directory.resolve(CA_KEY_FILE);
            Path caCert = directory.resolve("test-ca.pem");
            Path log = directory.resolve("openssl.log");
            run(
                    log,
                    "openssl",
                    "req",
                    "-x509",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:prime256v1",
                    "-nodes",
                    "-keyout",
                    caKey.toString(),
                    "-out",
                    caCert.toString(),
                    "-days",
                    "2",
                    "-subj",
                    "/CN=stream-repeater test CA",
                    "-addext",
                    "basicConstraints=critical,CA:TRUE",
                    "-addext",
                    "keyUsage=critical,keyCertSign,cRLSign");
            return new LocalhostCertificates(caCert, null, null).issueServerCertificate("localhost", "ec");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write test certificates into " + directory, e);
        }
    }

    /**
     * Signs one more server certificate for {@code DNS:localhost} and {@code IP:127.0.0.1} with this CA,
     * with a new key and serial number, into the CA's directory as {@code NAME.pem} and {@code NAME.key}.
     *
     * @param name the file name stem and the certificate's common name ({@code [a-z0-9-]+})
     * @param keyAlgorithm {@code ec} (P-256) or {@code rsa} (2048 bits); the key is written unencrypted PKCS#8
     * @return the same CA with the new server certificate and key
     */
    public LocalhostCertificates issueServerCertificate(String name, String keyAlgorithm) {
        if (!name.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("certificate name must be [a-z0-9-]+: " + name);
        }
        List<String> newKey = switch (keyAlgorithm) {
            case "ec" -> List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1");
            case "rsa" -> List.of("-newkey", "rsa:2048");
            default -> throw new IllegalArgumentException("keyAlgorithm must be ec or rsa: " + keyAlgorithm);
        };
        Path directory = caCertFile.toAbsolutePath().getParent();
        Path serverKey = directory.resolve(name + ".key");
        Path serverRequest = directory.resolve(name + ".csr");
        Path serverCert = directory.resolve(name + ".pem");
        Path extensions = directory.resolve(name + ".ext");
        Path log = directory.resolve("openssl.log");
        try {
            Files.writeString(extensions, """
                    subjectAltName=DNS:localhost,IP:127.0.0.1
                    basicConstraints=CA:FALSE
                    keyUsage=critical,digitalSignature,keyEncipherment
                    extendedKeyUsage=serverAuth
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write test certificates into " + directory, e);
        }
        List<String> request = new java.util.ArrayList<>(List.of("openssl", "req", "-new"));
        request.addAll(newKey);
        request.addAll(List.of(
                "-nodes", "-keyout", serverKey.toString(), "-out", serverRequest.toString(), "-subj", "/CN=" + name));
        run(log, request.toArray(String[]::new));
        run(
                log,
                "openssl",
                "x509",
                "-req",
                "-in",
                serverRequest.toString(),
                "-CA",
                caCertFile.toString(),
                "-CAkey",
                directory.resolve(CA_KEY_FILE).toString(),
                "-CAcreateserial",
                "-out",
                serverCert.toString(),
                "-days",
                "2",
                "-extfile",
                extensions.toString());
        return new LocalhostCertificates(caCertFile, serverCert, serverKey);
    }

    private static void run(Path log, String... command) {
        try (ExternalProcess openssl = ExternalProcess.start("openssl", List.of(command), log)) {
            int exit = openssl.waitFor(OPENSSL_TIMEOUT)
                    .orElseThrow(() -> new IllegalStateException(
                            "openssl did not finish within " + OPENSSL_TIMEOUT + ": " + String.join(" ", command)));
            if (exit != 0) {
                throw new IllegalStateException(
                        "openssl exited with " + exit + " for " + String.join(" ", command) + "\n" + openssl.log());
            }
        }
    }
}
