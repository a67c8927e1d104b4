package io.streamrepeater.app;

import java.nio.file.Path;

/**
 * Command-line choices for {@link Server}; null means "not given".
 *
 * @param rtmpsPort overrides {@code server.rtmpsPort}
 * @param tlsCertFile with {@code tlsKeyFile}, overrides {@code server.tls} (relative to the working directory)
 * @param srtPort overrides {@code server.srtPort} (UDP; 0 = no SRT listener)
 * @param database overrides {@code server.database} (the store's JDBC URL)
 * @param bind overrides {@code server.bind}: the address every listener listens on
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
        Integer srtPort,
        String bind) {
    public ServerOptions(
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
        this(
                configFile,
                dataDir,
                rtmpPort,
                httpPort,
                trustCa,
                database,
                rtmpsPort,
                tlsCertFile,
                tlsKeyFile,
                srtPort,
                null);
    }

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
                configFile,
                dataDir,
                rtmpPort,
                httpPort,
                trustCa,
                database,
                rtmpsPort,
                tlsCertFile,
                tlsKeyFile,
                port,
                bind);
    }

    /** @return these options with the listeners' address overridden (null: as the configuration says) */
    public ServerOptions withBind(String address) {
        return new ServerOptions(
                configFile,
                dataDir,
                rtmpPort,
                httpPort,
                trustCa,
                database,
                rtmpsPort,
                tlsCertFile,
                tlsKeyFile,
                srtPort,
                address);
    }

    public ServerOptions(Path configFile, Path dataDir, Integer rtmpPort, Integer httpPort, Path trustCa) {
        this(configFile, dataDir, rtmpPort, httpPort, trustCa, null);
    }
}
