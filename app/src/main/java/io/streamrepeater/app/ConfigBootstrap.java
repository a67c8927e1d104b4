package io.streamrepeater.app;

import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.control.config.ConfigException;
import io.streamrepeater.control.config.ConfigLoader;
import io.streamrepeater.control.config.FirstRun;
import io.streamrepeater.control.config.ServerConfig;
import io.streamrepeater.control.config.StreamRepeaterConfig;
import io.streamrepeater.control.config.TlsConfig;
import io.streamrepeater.control.store.AdminTokenHash;
import io.streamrepeater.control.store.ConfigStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the configuration store and brings it up to date at start: a {@code --config} file's channels applied, an
 * old {@code data/config.yaml} imported, or a first run's channel and keys made; the admin token set. Logs under the
 * server's name, as before the split.
 */
final class ConfigBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);

    private ConfigBootstrap() {}

    /**
     * @param adminTokenToPrint a token made up at this start, shown once (null when none was made)
     */
    record Loaded(StreamRepeaterConfig config, boolean firstRun, ConfigStore store, String adminTokenToPrint) {}

    /**
     * The store is the home of the configuration: SQLite in the data directory by default, or the
     * database named by {@code --database} or {@code server.database} (the command line wins). A {@code --config}
     * file's channels are applied into it at start-up; without one, the first start creates channel {@code main}.
     *
     * @throws ConfigException at the {@code server.cluster} key when the store in force is not PostgreSQL
     */
    static Loaded load(ServerOptions options) {
        StreamRepeaterConfig file = options.configFile() != null ? ConfigLoader.load(options.configFile()) : null;
        ServerConfig server = file != null ? file.server() : ServerConfig.defaults();
        Path dataDir = options.dataDir() != null ? options.dataDir() : server.dataDir();
        String database = options.database() != null ? options.database() : server.database();
        if (options.bind() != null) {
            try {
                ServerConfig.requireBind(options.bind());
            } catch (IllegalArgumentException e) {
                throw new StartupException("--bind: " + e.getMessage(), e);
            }
        }
        if (server.cluster() != null) {
            // the file alone cannot tell: its database may be absent and come from the command line
            server.cluster().requirePostgresql(database, options.database() != null ? "--database" : "server.database");
        }
        SecureRandom random = new SecureRandom();
        ConfigStore store;
        try {
            Files.createDirectories(dataDir);
            store = database != null ? ConfigStore.open(database, dataDir) : ConfigStore.openInDataDirectory(dataDir);
        } catch (IOException | RuntimeException e) {
            throw new StartupException(
                    "cannot open the configuration store" + (database != null ? "" : " in " + dataDir) + ": "
                            + e.getMessage(),
                    e);
        }
        boolean firstRun = false;
        String token = server.adminToken();
        String tokenToPrint = null;
        try {
            if (file != null) {
                for (ChannelConfig c : file.channels()) {
                    store.upsertChannel(c);
                }
            } else if (store.isEmpty()) {
                Path legacy = dataDir.resolve("config.yaml");
                if (Files.exists(legacy)) {
                    // An earlier version kept the configuration in data/config.yaml: move it into the store.
                    StreamRepeaterConfig old = ConfigLoader.load(legacy);
                    store.replaceChannels(old.channels());
                    server = old.server();
                    token = old.server().adminToken();
                    Files.move(legacy, dataDir.resolve("config.yaml.imported"), StandardCopyOption.REPLACE_EXISTING);
                    LOG.info(
                            "event=config-imported file={} channels={}",
                            legacy,
                            old.channels().size());
                } else {
                    StreamRepeaterConfig fresh = FirstRun.defaultConfig(random);
                    store.replaceChannels(fresh.channels());
                    token = fresh.server().adminToken();
                    tokenToPrint = token;
                    firstRun = true;
                }
            }
            if (token != null) {
                if (!store.verifyAdminToken(token)) {
                    store.setAdminTokenHash(AdminTokenHash.of(token, random));
                }
            } else if (store.adminTokenHash().isEmpty()) {
                token = FirstRun.newAdminToken(random);
                store.setAdminTokenHash(AdminTokenHash.of(token, random));
                tokenToPrint = token;
            }
            return new Loaded(store.load(server), firstRun, store, tokenToPrint);
        } catch (IOException | RuntimeException e) {
            store.close();
            if (e instanceof ConfigException ce) {
                throw ce;
            }
            throw new StartupException("cannot load the configuration: " + e.getMessage(), e);
        }
    }

    /**
     * The server settings in force: the configuration file's (or the defaults), with the command line's overrides,
     * the data directory and the certificate files as absolute paths. This is what {@code export} writes, so that
     * the file it gives, fed back to {@code serve --config}, starts this same server.
     */
    static ServerConfig inForce(ServerConfig file, ServerOptions options, Path configDir) {
        TlsConfig tls = file.tls() == null
                ? null
                : new TlsConfig(
                        configDir
                                .resolve(file.tls().certFile())
                                .toAbsolutePath()
                                .normalize(),
                        configDir.resolve(file.tls().keyFile()).toAbsolutePath().normalize());
        if (options.tlsCertFile() != null && options.tlsKeyFile() != null) {
            tls = new TlsConfig(
                    options.tlsCertFile().toAbsolutePath().normalize(),
                    options.tlsKeyFile().toAbsolutePath().normalize());
        }
        Path dataDir = options.dataDir() != null ? options.dataDir() : file.dataDir();
        String database = options.database() != null ? options.database() : file.database();
        String bind = options.bind() != null ? options.bind() : file.bind();
        return new ServerConfig(
                options.rtmpPort() != null ? options.rtmpPort() : file.rtmpPort(),
                options.srtPort() != null ? options.srtPort() : file.srtPort(),
                options.httpPort() != null ? options.httpPort() : file.httpPort(),
                dataDir.toAbsolutePath().normalize(),
                file.adminToken(),
                options.rtmpsPort() != null ? options.rtmpsPort() : file.rtmpsPort(),
                tls,
                file.limits(),
                file.srtLatencyMs(),
                file.webhookHosts(),
                database,
                bind,
                file.cluster(),
                file.https());
    }
}
