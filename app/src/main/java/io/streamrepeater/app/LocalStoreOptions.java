package io.streamrepeater.app;

import io.streamrepeater.control.config.ConfigLoader;
import io.streamrepeater.control.config.ServerConfig;
import io.streamrepeater.control.store.ConfigStore;
import io.streamrepeater.control.store.SecretKeyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a local command (run on the server's machine, with access to its files) finds the configuration store:
 * the same options as {@code serve}. Only someone who can read the data directory (its secret key) gets in.
 */
final class LocalStoreOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "The server's YAML file (for server.dataDir).")
    Path config;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    "The server's data directory; default: server.dataDir of the config, else a directory named data here.")
    Path dataDir;

    @Option(
            names = "--database",
            paramLabel = "JDBC-URL",
            description = "The server's --database, if it has one; default: server.database of the config.")
    String database;

    /** The server settings of {@code --config}, else the defaults. */
    ServerConfig server() {
        return config != null ? ConfigLoader.load(config).server() : ServerConfig.defaults();
    }

    /**
     * Opens the store the server uses; refuses a data directory that holds no store (a typo must not create one).
     *
     * @throws IllegalArgumentException naming what is missing
     */
    ConfigStore open() {
        ServerConfig server = server();
        Path dir = dataDir != null ? dataDir : server.dataDir();
        String database = this.database != null ? this.database : server.database();
        if (!Files.isRegularFile(dir.resolve(SecretKeyFile.FILE_NAME))) {
            throw new IllegalArgumentException("no Stream Repeater data directory at " + dir.toAbsolutePath() + " (no "
                    + SecretKeyFile.FILE_NAME + "): give the server's with --data-dir or --config");
        }
        if (database != null) {
            return ConfigStore.open(database, dir);
        }
        if (!Files.isRegularFile(dir.resolve(ConfigStore.SQLITE_FILE_NAME))) {
            throw new IllegalArgumentException("no configuration store in " + dir.toAbsolutePath() + " (no "
                    + ConfigStore.SQLITE_FILE_NAME + "): if the server keeps it in PostgreSQL, give --database");
        }
        return ConfigStore.openInDataDirectory(dir);
    }
}
