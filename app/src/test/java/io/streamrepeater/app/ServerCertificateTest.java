package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.streamrepeater.testkit.ExternalProcess;
import io.streamrepeater.testkit.LocalhostCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the RTMPS certificate: what is accepted, and a message naming the file for everything else. */
class ServerCertificateTest {
    @TempDir
    static Path dir;

    static LocalhostCertificates ec;
    static LocalhostCertificates rsa;

    @BeforeAll
    static void makeCertificates() {
        ec = LocalhostCertificates.generate(dir.resolve("ca"));
        rsa = ec.issueServerCertificate("rsa-server", "rsa");
    }

    @Test
    void readsAnEcCertificateAndItsPkcs8Key() {
        ServerCertificate c = ServerCertificate.load(ec.serverCertFile(), ec.serverKeyFile());

        assertThat(c.subject()).isEqualTo("CN=localhost");
        assertThat(c.notAfter()).isAfter(Instant.now());
        assertThat(c.context().isServer()).isTrue();
    }

    @Test
    void readsAnRsaCertificateFollowedByItsChain() throws IOException {
        Path fullChain = dir.resolve("fullchain.pem");
        Files.writeString(fullChain, Files.readString(rsa.serverCertFile()) + Files.readString(rsa.caCertFile()));

        ServerCertificate c = ServerCertificate.load(fullChain, rsa.serverKeyFile());

        assertThat(c.subject()).as("the first certificate is the server's").isEqualTo("CN=rsa-server");
    }

    @Test
    void missingCertificateFileIsNamed() {
        Path missing = dir.resolve("nope.pem");

        TlsFileException e =
                catchThrowableOfType(TlsFileException.class, () -> ServerCertificate.load(missing, ec.serverKeyFile()));

        assertThat(e).hasMessage("certFile " + missing + ": no such file");
        assertThat(e.file()).isEqualTo(missing);
    }

    @Test
    void aDirectoryIsNotACertificate() {
        TlsFileException e =
                catchThrowableOfType(TlsFileException.class, () -> ServerCertificate.load(dir, ec.serverKeyFile()));

        assertThat(e).hasMessage("certFile " + dir + ": is not a regular file");
    }

    @Test
    void certificateFileWithoutPemIsRefused() throws IOException {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "this is not a certificate\n");

        assertThat(catchThrowableOfType(
                        TlsFileException.class, () -> ServerCertificate.load(garbage, ec.serverKeyFile())))
                .hasMessageStartingWith("certFile " + garbage + ": holds no PEM certificate");
    }

    @Test
    void corruptCertificateBlockIsRefused() throws IOException {
        Path corrupt = Files.writeString(
                dir.resolve("corrupt.pem"), "-----BEGIN CERTIFICATE-----\nAAAABBBBCCCC\n-----END CERTIFICATE-----\n");

        assertThat(catchThrowableOfType(
                        TlsFileException.class, () -> ServerCertificate.load(corrupt, ec.serverKeyFile())))
                .hasMessage(
                        "certFile " + corrupt + ": holds a CERTIFICATE block that is not a valid X.509 certificate");
    }

    @Test
    void keyFileWithoutKeyIsRefused() {
        TlsFileException e = catchThrowableOfType(
                TlsFileException.class, () -> ServerCertificate.load(ec.serverCertFile(), ec.serverCertFile()));

        assertThat(e)
                .hasMessage("keyFile " + ec.serverCertFile()
                        + ": holds no PEM private key (expected -----BEGIN PRIVATE KEY-----, unencrypted PKCS#8)");
    }

    @Test
    void traditionalRsaKeyGetsTheCommandThatConvertsIt() throws IOException {
        Path pkcs1 = dir.resolve("pkcs1.key");
        openssl("pkey", "-in", rsa.serverKeyFile().toString(), "-traditional", "-out", pkcs1.toString());
        assertThat(Files.readString(pkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        TlsFileException e =
                catchThrowableOfType(TlsFileException.class, () -> ServerCertificate.load(rsa.serverCertFile(), pkcs1));

        assertThat(e)
                .hasMessage("keyFile " + pkcs1 + ": holds a 'RSA PRIVATE KEY' (PKCS#1/SEC1) key; the server reads"
                        + " PKCS#8: convert it with openssl pkcs8 -topk8 -nocrypt -in " + pkcs1 + " -out KEY.pem");
        assertNoKeyMaterial(e, pkcs1);
    }

    @Test
    void encryptedKeyIsRefusedWithoutAskingForAPassword() throws IOException {
        Path encrypted = dir.resolve("encrypted.key");
        openssl(
                "pkcs8",
                "-topk8",
                "-in",
                ec.serverKeyFile().toString(),
                "-out",
                encrypted.toString(),
                "-passout",
                "pass:not-used-by-the-server");

        assertThat(catchThrowableOfType(
                        TlsFileException.class, () -> ServerCertificate.load(ec.serverCertFile(), encrypted)))
                .hasMessageStartingWith(
                        "keyFile " + encrypted + ": holds an encrypted key; the server needs it unencrypted");
    }

    @Test
    void keyOfAnotherCertificateIsRefusedWithoutShowingTheKey() throws IOException {
        TlsFileException e = catchThrowableOfType(
                TlsFileException.class, () -> ServerCertificate.load(ec.serverCertFile(), rsa.serverKeyFile()));

        assertThat(e)
                .hasMessage("keyFile " + rsa.serverKeyFile() + ": is not the key of the certificate in "
                        + ec.serverCertFile() + " (CN=localhost)");
        assertNoKeyMaterial(e, rsa.serverKeyFile());

        LocalhostCertificates otherEc = ec.issueServerCertificate("other-ec", "ec");
        assertThat(catchThrowableOfType(
                        TlsFileException.class,
                        () -> ServerCertificate.load(ec.serverCertFile(), otherEc.serverKeyFile())))
                .as("same algorithm, different key")
                .hasMessageContaining("is not the key of the certificate");
    }

    /** No line of the key's base64 appears in the message or in any cause's message. */
    private static void assertNoKeyMaterial(Throwable e, Path keyFile) throws IOException {
        List<String> keyLines = Files.readAllLines(keyFile).stream()
                .filter(l -> !l.startsWith("-----"))
                .toList();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            assertThat(keyLines).noneMatch(message::contains);
        }
    }

    private static void openssl(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        try (ExternalProcess p = ExternalProcess.start("openssl", command, dir.resolve("openssl-test.log"))) {
            assertThat(p.waitFor(Duration.ofSeconds(20)))
                    .as("openssl %s; log:\n%s", command, p.log())
                    .contains(0);
        }
    }
}
