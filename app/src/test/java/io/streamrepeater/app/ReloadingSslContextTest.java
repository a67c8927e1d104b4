package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.testkit.CapturedLogs;
import io.streamrepeater.testkit.LocalhostCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificate is replaced when its files change and parse, and kept when they do not. */
class ReloadingSslContextTest {
    private static final Duration POLL = Duration.ofMillis(50);

    @TempDir
    Path dir;

    private LocalhostCertificates first;
    private Path cert;
    private Path key;
    private CapturedLogs logs;

    @BeforeEach
    void installFirstCertificate() throws IOException {
        first = LocalhostCertificates.generate(dir.resolve("ca"));
        cert = dir.resolve("live/fullchain.pem");
        key = dir.resolve("live/privkey.pem");
        Files.createDirectories(cert.getParent());
        Files.copy(first.serverCertFile(), cert);
        Files.copy(first.serverKeyFile(), key);
        logs = CapturedLogs.of(ReloadingSslContext.class);
    }

    @AfterEach
    void stopCapture() {
        logs.close();
    }

    @Test
    void filesReplacedByRenameAreLoadedForNewConnections() throws IOException {
        try (ReloadingSslContext tls = ReloadingSslContext.start(cert, key, POLL)) {
            String firstSerial = tls.current().serial();
            LocalhostCertificates renewed = first.issueServerCertificate("renewed", "rsa");

            replace(key, renewed.serverKeyFile());
            replace(cert, renewed.serverCertFile());

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> tls.current().subject().equals("CN=renewed"));
            assertThat(tls.current().serial()).isNotEqualTo(firstSerial);
            assertThat(logs.linesWith("event=tls-reloaded"))
                    .singleElement()
                    .asString()
                    .startsWith("INFO ")
                    .contains("subject=\"CN=renewed\"")
                    .contains("notAfter=");
            assertThat(logs.linesWith("event=tls-reload-failed")).isEmpty();
        }
    }

    @Test
    void unusableChangeIsReportedOnceAndTheOldCertificateStays() throws IOException {
        try (ReloadingSslContext tls = ReloadingSslContext.start(cert, key, POLL)) {
            ServerCertificate before = tls.current();

            Files.writeString(cert, "garbage, half a certificate\n");

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !logs.linesWith("event=tls-reload-failed").isEmpty());
            assertThat(tls.current()).isSameAs(before);
            assertThat(logs.linesWith("event=tls-reload-failed"))
                    .singleElement()
                    .asString()
                    .startsWith("WARN ")
                    .contains("file=" + cert)
                    .contains("reason=\"holds no PEM certificate");

            // A good pair later is still picked up, and the bad version was not reported again meanwhile.
            LocalhostCertificates fixed = first.issueServerCertificate("fixed", "ec");
            replace(key, fixed.serverKeyFile());
            replace(cert, fixed.serverCertFile());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> tls.current().subject().equals("CN=fixed"));
            assertThat(logs.linesWith("event=tls-reload-failed")).hasSize(1);
        }
    }

    @Test
    void aKeyThatDoesNotMatchKeepsTheOldCertificate() throws IOException {
        try (ReloadingSslContext tls = ReloadingSslContext.start(cert, key, POLL)) {
            ServerCertificate before = tls.current();
            LocalhostCertificates other = first.issueServerCertificate("other", "ec");

            replace(key, other.serverKeyFile()); // the new key arrives, its certificate does not

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !logs.linesWith("event=tls-reload-failed").isEmpty());
            assertThat(tls.current()).isSameAs(before);
            assertThat(logs.linesWith("event=tls-reload-failed"))
                    .singleElement()
                    .asString()
                    .contains("file=" + key)
                    .contains("is not the key of the certificate");
        }
    }

    @Test
    void startFailsOnUnusableFiles() throws IOException {
        Files.writeString(key, "not a key");

        assertThatThrownBy(() -> ReloadingSslContext.start(cert, key, POLL))
                .isInstanceOf(TlsFileException.class)
                .hasMessageStartingWith("keyFile " + key + ": holds no PEM private key");
    }

    /** As certbot and deployment tools do: write next to it, then rename over it. */
    private static void replace(Path target, Path source) throws IOException {
        Path next = target.resolveSibling(target.getFileName() + ".next");
        Files.copy(source, next, StandardCopyOption.REPLACE_EXISTING);
        Files.move(next, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
