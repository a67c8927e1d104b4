package io.streamrepeater.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link ConfigStore#open(String)} accepts, creates and refuses. */
class OpeningTheStoreTest {

    @TempDir
    Path tempDir;

    @Test
    void theDataDirectoryStoreIsASqliteFileInWalModeCreatedWithItsDirectory() throws Exception {
        Path dataDir = tempDir.resolve("not").resolve("yet");

        try (ConfigStore store = ConfigStore.openInDataDirectory(dataDir)) {
            assertThat(store.isEmpty()).isTrue();
        }

        Path file = dataDir.resolve(ConfigStore.SQLITE_FILE_NAME);
        assertThat(file).isRegularFile();
        assertThat(dataDir.resolve(SecretKeyFile.FILE_NAME))
                .as("the key file beside it")
                .isRegularFile()
                .hasSize(32);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("PRAGMA journal_mode")) {
            rows.next();
            assertThat(rows.getString(1)).isEqualTo("wal");
        }
    }

    @Test
    void aUrlOfAnotherDatabaseIsRefusedWithoutItsCredentials() {
        assertThatThrownBy(() -> ConfigStore.open("jdbc:mysql://127.0.0.1/db?user=u&password=hunter2", tempDir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:mysql://127.0.0.1/db")
                .hasMessageContaining("jdbc:sqlite:PATH")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aFileThatIsNotADatabaseIsReportedWithItsPath() throws Exception {
        Path file = tempDir.resolve("garbage.db");
        Files.writeString(
                file, "this is not an SQLite database, just text that is long enough to have a header\n".repeat(20));

        assertThatThrownBy(() -> ConfigStore.open("jdbc:sqlite:" + file, tempDir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void anUnreachablePostgresqlIsReportedWithoutItsPassword() {
        // port 1 on loopback: nothing listens there
        assertThatThrownBy(() -> ConfigStore.open(
                        "jdbc:postgresql://127.0.0.1:1/db?user=u&password=hunter2&connectTimeout=2", tempDir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/db")
                .hasMessageNotContaining("hunter2");
    }
}
