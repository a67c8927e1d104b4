package io.streamrepeater.app;

import io.streamrepeater.control.config.ConfigException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stream-repeater serve}: runs the server until it is stopped (SIGINT/SIGTERM). */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run the relay. Without --config, the configuration lives in the data directory "
                + "(created on first run with a channel 'main' that has a primary and a backup input).")
public final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);
    /** Exit status when a stop overran its deadline (what was pending is logged). */
    static final int EXIT_STOP_OVERRAN = 1;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML file with the server settings and channels.")
    Path config;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    "Data directory holding the configuration store and its secret key; default: server.dataDir of the config, else a directory named data here.")
    Path dataDir;

    @Option(names = "--rtmp-port", paramLabel = "PORT", description = "Override server.rtmpPort (0 = disabled).")
    Integer rtmpPort;

    @Option(
            names = "--rtmps-port",
            paramLabel = "PORT",
            description =
                    "Override server.rtmpsPort: RTMPS ingest (TLS) on this port, 0 = disabled; needs server.tls or --tls-cert/--tls-key.")
    Integer rtmpsPort;

    @Option(
            names = "--srt-port",
            paramLabel = "PORT",
            description = "Override server.srtPort: SRT ingest (UDP, MPEG-TS) on this port, 0 = disabled.")
    Integer srtPort;

    @Option(
            names = "--tls-cert",
            paramLabel = "PEM",
            description =
                    "Override server.tls.certFile: the RTMPS certificate (and its chain); reloaded when the file changes.")
    Path tlsCert;

    @Option(
            names = "--tls-key",
            paramLabel = "PEM",
            description = "Override server.tls.keyFile: the certificate's private key (unencrypted PKCS#8, RSA or EC).")
    Path tlsKey;

    @Option(names = "--http-port", paramLabel = "PORT", description = "Override server.httpPort (0 = disabled).")
    Integer httpPort;

    @Option(
            names = "--bind",
            paramLabel = "ADDRESS",
            description =
                    "Override server.bind: listen on this address only (an IP address or localhost) for RTMP, RTMPS, SRT and HTTP; default: every interface.")
    String bind;

    @Option(
            names = "--database",
            paramLabel = "JDBC-URL",
            description =
                    "Override server.database: keep the configuration in this database (jdbc:postgresql://HOST/DB?user=U&password=P) instead of SQLite in the data directory.")
    String database;

    @Option(
            names = "--trust-ca",
            paramLabel = "PEM",
            description =
                    "Trust only this CA certificate for rtmps destinations instead of the system trust store (for tests and private CAs).")
    Path trustCa;

    @Override
    public Integer call() {
        ServerOptions options = new ServerOptions(
                config, dataDir, rtmpPort, httpPort, trustCa, database, rtmpsPort, tlsCert, tlsKey, srtPort, bind);
        Server server;
        try {
            server = Server.start(options);
        } catch (ConfigException e) {
            System.err.println("stream-repeater: configuration refused: " + e.getMessage());
            return 2;
        } catch (StartupException e) {
            System.err.println("stream-repeater: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "shutdown"));
        stopOnSigterm(server);
        server.awaitTermination();
        return server.stop() ? 0 : EXIT_STOP_OVERRAN; // already stopped: answers whether that went cleanly
    }

    /**
     * SIGTERM is how service managers stop a server. It is handled here rather than by the JVM's own exit, which
     * would end with status 143 whatever happened, so a clean stop ends with 0. SIGINT (Ctrl-C) still goes
     * through the shutdown hook, which stops the server the same way.
     */
    private static void stopOnSigterm(Server server) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> server.stop());
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            LOG.warn(
                    "event=sigterm-not-handled reason=\"{}\" effect=\"the shutdown hook stops the server; exit status 143\"",
                    e.getMessage());
        }
    }
}
