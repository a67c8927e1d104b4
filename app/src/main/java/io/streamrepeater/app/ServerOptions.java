package io.streamrepeater.app;

import java.nio.file.Path;

/**
 * Command-line choices for {@link Server}; null means "not given".
 *
 * @param rtmpsPort overrides {@code server.rtmpsPort}
 * @param tlsCertFile with {@code tlsKeyFile}, overrides {@code server.tls} (relative to the working directory)
 * @param srtPort overrides {@code server.srtPort} (UDP; 0 = no SRT listener)
 */
public record ServerOptions(
        Path configFile,
        Path dataDir,
        Integer rtmpPort,
        Integer httpPort,
        Path trustCa,
        String database,
        Integer rtmpsPort,
        Path tlsCertFile,
        Path tlsKeyFile,
        Integer srtPort) {
    public ServerOptions(
            Path configFile,
            Path dataDir,
            Integer rtmpPort,
            Integer httpPort,
            Path trustCa,
            String database,
            Integer rtmpsPort,
            Path tlsCertFile,
            Path tlsKeyFile) {
        this(configFile, dataDir, rtmpPort, httpPort, trustCa, database, rtmpsPort, tlsCertFile, tlsKeyFile, null);
    }

    public ServerOptions(
            Path configFile, Path dataDir, Integer rtmpPort, Integer httpPort, Path trustCa, String database) {
        this(configFile, dataDir, rtmpPort, httpPort, trustCa, database, null, null, null);
    }

    /** @return these options with the SRT port overridden */
    public ServerOptions withSrtPort(Integer port) {
        return new ServerOptions(
                configFile, dataDir, rtmpPort, httpPort, trustCa, database, rtmpsPort, tlsCertFile, tlsKeyFile, port);
    }

    public ServerOptions(Path configFile, Path dataDir, Integer rtmpPort, Integer httpPort, Path trustCa) {
        this(configFile, dataDir, rtmpPort, httpPort, trustCa, null);
    }
}
