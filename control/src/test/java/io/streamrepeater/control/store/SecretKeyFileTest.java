package io.streamrepeater.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key file in the data directory: created owner-only, reused, and refused when it is not safe. */
class SecretKeyFileTest {

    @TempDir
    Path tempDir;

    @Test
    void theFirstStartCreatesThirtyTwoRandomBytesReadableByTheOwnerOnly() throws IOException {
        Path dataDir = tempDir.resolve("data");

        SecretKeyFile.loadOrCreate(dataDir);

        Path file = dataDir.resolve(SecretKeyFile.FILE_NAME);
        assertThat(file).isRegularFile().hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(dataDir)) {
            assertThat(files).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    void theSecondStartReadsTheSameKey() {
        SecretCipher first = SecretKeyFile.loadOrCreate(tempDir);
        String sealed = first.seal("rtmp://127.0.0.1/live/k", SecretColumn.DESTINATION_URL);

        SecretCipher second = SecretKeyFile.loadOrCreate(tempDir);

        assertThat(second.unseal(sealed, SecretColumn.DESTINATION_URL)).isEqualTo("rtmp://127.0.0.1/live/k");
        assertThat(second.fingerprint()).isEqualTo(first.fingerprint());
        assertThat(second.source())
                .isEqualTo(tempDir.resolve("secret.key").toAbsolutePath().toString());
    }

    @Test
    void aKeyFileOpenToTheGroupOrOthersIsRefused() throws IOException {
        SecretKeyFile.loadOrCreate(tempDir);
        Path file = tempDir.resolve(SecretKeyFile.FILE_NAME);
        for (String mode : new String[] {"rw-r-----", "rw----r--", "rw-----w-", "rw-rw-rw-"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));

            assertThatThrownBy(() -> SecretKeyFile.loadOrCreate(tempDir))
                    .as(mode)
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining(file.toAbsolutePath().toString())
                    .hasMessageContaining(mode)
                    .hasMessageContaining("chmod 600");
        }
    }

    @Test
    void aKeyFileOfTheWrongLengthIsRefusedAndNotReplaced() throws IOException {
        Path file = tempDir.resolve(SecretKeyFile.FILE_NAME);
        Files.write(file, new byte[31]);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> SecretKeyFile.loadOrCreate(tempDir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toAbsolutePath().toString())
                .hasMessageContaining("31 bytes; expected 32")
                .hasMessageContaining("Restore it");
        assertThat(file).hasSize(31);
    }

    @Test
    void loadWithoutCreateRefusesAMissingFile() {
        Path file = tempDir.resolve("nothing.key");

        assertThatThrownBy(() -> SecretKeyFile.load(file))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("missing");
        assertThat(file).doesNotExist();
    }
}
