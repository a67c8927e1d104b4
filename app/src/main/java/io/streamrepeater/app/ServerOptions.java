package io.streamrepeater.app;

import java.nio.file.Path;

/**
 * Command-line choices for {@link Server}; null means "not given".
 *
 * @param rtmpsPort overrides {@code server.rtmpsPort}
 * @param tlsCertFile with {@code tlsKeyFile}, overrides {@code server.tls} (relative to the working directory)
 */
public record ServerOptions(Path configFile, Path dataDir, Integer rtmpPort, Integer httpPort, Path trustCa, String database,
                            Integer rtmpsPort, Path tlsCertFile, Path tlsKeyFile) {
    public ServerOptions(Path configFile, Path dataDir, Integer rtmpPort, Integer httpPort, Path trustCa, String database) {
        this(configFile, dataDir, rtmpPort, httpPort, trustCa, database, null, null, null);
    }

    public ServerOptions(Path configFile, Path dataDir, Integer rtmpPort, Integer httpPort, Path trustCa) {
        this(configFile, dataDir, rtmpPort, httpPort, trustCa, null);
    }
}
