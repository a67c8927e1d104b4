package io.streamrepeater.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * nginx with the rtmp module as a real RTMP destination for one test: its own configuration, logs,
 * recordings and publish-session log, all inside a work directory, listening on 127.0.0.1 only.
 *
 * <p>Every publish is recorded ({@code record all; record_unique on;}) to {@code WORKDIR/rec/NAME-EPOCHSECONDS.flv};
 * because those names only have second resolution, the {@code exec_publish}/{@code exec_publish_done} hooks also
 * append {@code publish|publish_done NAME EPOCH_NANOS} to {@code WORKDIR/sessions.log} (see {@link #publishSessions()}).
 * With {@link Builder#withTls()} an nginx {@code stream} server terminates TLS on a second port with a throwaway CA
 * and proxies to the RTMP port, which is what an {@code rtmps://} destination looks like.
 *
 * <p>{@link #stop()} and {@link #start()} stop and start the same server on the same ports (for reconnect tests).
 * {@link #close()} stops it for good. Needs nginx and libnginx-mod-rtmp/-stream (scripts/install-test-deps.sh).
 *
 * <p>Why it is longer than ~400 lines: it is the one way the tests and the benchmarks start nginx (sinks, TLS
 * front, push relays), and most of its length is the configuration it writes, kept next to the options that shape it.
 */
public final class NginxRtmp implements AutoCloseable {

    private static final Path MODULES_DIRECTORY = Path.of("/usr/lib/nginx/modules");
    private static final Path RTMP_MODULE = MODULES_DIRECTORY.resolve("ngx_rtmp_module.so");
    private static final Path STREAM_MODULE = MODULES_DIRECTORY.resolve("ngx_stream_module.so");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Duration CONNECT_ATTEMPT_TIMEOUT = Duration.ofMillis(200);
    private static final long CONNECT_RETRY_PAUSE_MS = 20;
    private static final int PORT_ATTEMPTS = 3;

    private final Path workDir;
    private final Set<String> applications;
    private final Duration idlePublisherTimeout;
    private final boolean playersFromAnyVideoTag;
    private final boolean sessionHooks;
    private final Map<String, List<String>> pushApplications;
    private final boolean recordingsPerApplication;
    private final int workerConnections;
    private final String errorLogLevel;
    private final String stopSignal;
    private final int fixedPort;
    private final LocalhostCertificates certificates;
    private int port;
    private int tlsPort;
    private ExternalProcess nginx;
    /** Length of error.log when the current run started: what follows is this run's log. */
    private long errorLogOffset;

    private NginxRtmp(Builder builder, LocalhostCertificates certificates) {
        this.workDir = builder.workDir;
        this.applications = Set.copyOf(builder.applications);
        this.idlePublisherTimeout = builder.idlePublisherTimeout;
        this.playersFromAnyVideoTag = builder.playersFromAnyVideoTag;
        this.sessionHooks = builder.sessionHooks;
        this.pushApplications = Collections.unmodifiableMap(new LinkedHashMap<>(builder.pushApplications));
        this.recordingsPerApplication = builder.recordingsPerApplication;
        this.workerConnections = builder.workerConnections;
        this.errorLogLevel = builder.errorLogLevel;
        this.stopSignal = builder.stopSignal;
        this.fixedPort = builder.port;
        this.certificates = certificates;
    }

    /** Starts a plain RTMP server with the application {@code live}, working in {@code workDir}. */
    public static NginxRtmp start(Path workDir) {
        return builder(workDir).start();
    }

    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    /** Options for {@link NginxRtmp}; {@link #start()} launches it. */
    public static final class Builder {
        private final Path workDir;
        private final Set<String> applications = new LinkedHashSet<>(List.of("live"));
        private boolean tls;
        private Duration idlePublisherTimeout;
        private boolean playersFromAnyVideoTag;
        private boolean sessionHooks = true;
        private final Map<String, List<String>> pushApplications = new LinkedHashMap<>();
        private boolean recordingsPerApplication;
        private int workerConnections = 256;
        private String errorLogLevel = "info";
        private String stopSignal = "TERM";
        private int port;

        private Builder(Path workDir) {
            Path absolute = workDir.toAbsolutePath().normalize();
            if (!absolute.toString().matches("[A-Za-z0-9/._+-]+")) {
                // The path is written unquoted into nginx.conf and the hook's command line.
                throw new IllegalArgumentException("nginx work directory must be a plain path without spaces,"
                        + " quotes or semicolons: " + absolute);
            }
            this.workDir = absolute;
        }

        /** Adds a TLS front ({@code rtmps://localhost:TLSPORT}) with a throwaway CA, see {@link #caCertFile()}. */
        public Builder withTls() {
            this.tls = true;
            return this;
        }

        /** Adds applications besides {@code live}, configured the same way (live, recorded, hooked). */
        public Builder withApplications(String... names) {
            for (String name : names) {
                applications.add(requireApplicationName(name));
            }
            return this;
        }

        /** Leaves out an application, e.g. {@code live} when only named destination applications are wanted. */
        public Builder withoutApplication(String name) {
            applications.remove(name);
            pushApplications.remove(name);
            return this;
        }

        /**
         * Turns {@code name} into a relay, the way nginx-rtmp users restream: a live application, not recorded and
         * without hooks, that pushes every stream published to it to each of {@code urls} ({@code push URL;} keeps
         * the stream name). Replaces a recorded application of that name (e.g. {@code live}).
         */
        public Builder withPushApplication(String name, List<String> urls) {
            for (String url : urls) {
                if (!url.matches("rtmp://[A-Za-z0-9.:/_-]+")) {
                    throw new IllegalArgumentException("push URL must be a plain rtmp:// URL: " + url);
                }
            }
            applications.remove(requireApplicationName(name));
            pushApplications.put(name, List.copyOf(urls));
            return this;
        }

        /**
         * Records each application into its own directory {@code WORKDIR/rec/APP/}, so that streams of the same name
         * in different applications do not share file names; {@link #recordings()} then lists all of them.
         */
        public Builder withRecordingsPerApplication() {
            this.recordingsPerApplication = true;
            return this;
        }

        /** Room for {@code connections} connections (default 256), with as many file descriptors twice over. */
        public Builder withWorkerConnections(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("worker connections must be at least 1: " + connections);
            }
            this.workerConnections = connections;
            return this;
        }

        /** The error log's level (default {@code info}: every connection and publish); {@code warn} for load. */
        public Builder withErrorLogLevel(String level) {
            if (!List.of("debug", "info", "notice", "warn", "error", "crit").contains(level)) {
                throw new IllegalArgumentException("not an nginx error log level: " + level);
            }
            this.errorLogLevel = level;
            return this;
        }

        /**
         * Stops with SIGQUIT (graceful: the record module closes its files) instead of SIGTERM, still killing after
         * 5 s.
         */
        public Builder withGracefulStop() {
            this.stopSignal = "QUIT";
            return this;
        }

        /** Listens on this loopback port instead of a free one (no TLS front then). */
        public Builder onPort(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("not a port: " + port);
            }
            this.port = port;
            return this;
        }

        private static String requireApplicationName(String name) {
            if (!name.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("application name must be [A-Za-z0-9_-]+: " + name);
            }
            return name;
        }

        /**
         * Drops a publisher that has sent nothing for {@code timeout} ({@code drop_idle_publisher}); without it
         * nginx-rtmp keeps a dead publisher's name until the TCP connection times out.
         */
        public Builder withIdlePublisherTimeout(Duration timeout) {
            if (timeout.toSeconds() < 1) {
                throw new IllegalArgumentException("idle publisher timeout must be at least 1 s: " + timeout);
            }
            this.idlePublisherTimeout = timeout;
            return this;
        }

        /**
         * Lets a player of the recorded applications receive video from the first tag on ({@code wait_key off;}),
         * for tests that play a stream back from nginx. nginx-rtmp 1.2.2's live module defaults to
         * {@code wait_key on} (the source's default, though its directive documentation says off): it starts each
         * player's video at a tag whose first byte's high nibble is 1, a legacy keyframe. An Enhanced RTMP tag sets
         * the IsExHeader bit there (0x9_ for a keyframe), so with the default a player never receives HEVC, AV1 or
         * VP9 video at all. With it off, nginx forwards every tag as it arrives, body untouched.
         */
        public Builder withPlayersFromAnyVideoTag() {
            this.playersFromAnyVideoTag = true;
            return this;
        }

        /**
         * Runs no {@code exec_publish}/{@code exec_publish_done} hook ({@link #publishSessions()} then stays empty): each
         * hook forks a shell, and hundreds of destinations connecting at once (load benchmarks) would make the sink
         * itself stall for seconds while it forks them.
         */
        public Builder withoutSessionHooks() {
            this.sessionHooks = false;
            return this;
        }

        /**
         * Writes the configuration and starts nginx on free loopback ports, waiting (at most 10 s) until it
         * accepts connections; retries with other ports if one was taken meanwhile.
         */
        public NginxRtmp start() {
            requireInstalled();
            try {
                Files.createDirectories(workDir.resolve("rec"));
                if (recordingsPerApplication) {
                    for (String app : applications) {
                        Files.createDirectories(workDir.resolve("rec").resolve(app));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create nginx work directory " + workDir, e);
            }
            if (tls && port != 0) {
                throw new IllegalStateException("a TLS front needs free ports: do not combine withTls() and onPort()");
            }
            NginxRtmp server = new NginxRtmp(this, tls ? LocalhostCertificates.generate(workDir.resolve("tls")) : null);
            if (port != 0) {
                server.port = port;
                server.start();
            } else {
                server.startOnFreePorts();
            }
            return server;
        }

        private void requireInstalled() {
            List<Path> needed = new ArrayList<>(List.of(RTMP_MODULE));
            if (tls) {
                needed.add(STREAM_MODULE);
            }
            for (Path module : needed) {
                if (!Files.isRegularFile(module)) {
                    throw new IllegalStateException("nginx module " + module + " is missing;"
                            + " run scripts/install-test-deps.sh (libnginx-mod-rtmp, libnginx-mod-stream)");
                }
            }
        }
    }

    private void startOnFreePorts() {
        for (int attempt = 1; ; attempt++) {
            port = FreePorts.loopback();
            tlsPort = certificates != null ? FreePorts.loopback() : 0;
            try {
                start();
                return;
            } catch (IllegalStateException e) {
                boolean portTaken = errorLogOfThisRun().contains("Address already in use");
                if (!portTaken || attempt == PORT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Starts nginx (again) on the same ports and waits, at most 10 s, until every port accepts connections.
     *
     * @throws IllegalStateException if it is already running or does not come up; the message holds nginx's error log
     */
    public synchronized void start() {
        if (isRunning()) {
            throw new IllegalStateException("nginx-rtmp is already running on port " + port);
        }
        writeConfiguration();
        errorLogOffset = errorLogLength();
        nginx = ExternalProcess.start(
                "nginx-rtmp :" + port,
                List.of(
                        "nginx",
                        "-p",
                        workDir + "/",
                        "-c",
                        configFile().toString(),
                        "-e",
                        errorLogFile().toString()),
                workDir.resolve("nginx.out.log"));
        awaitAccepting(port);
        if (certificates != null) {
            awaitAccepting(tlsPort);
        }
    }

    /** Stops nginx (SIGTERM, or SIGQUIT if built {@link Builder#withGracefulStop()}; SIGKILL after 5 s) and waits until it is gone; {@link #start()} brings it back. */
    public synchronized void stop() {
        if (nginx != null) {
            nginx.stop(stopSignal, STOP_GRACE);
        }
    }

    /**
     * Freezes nginx (SIGSTOP): its sockets stay open, it reads nothing, so a publisher's data piles up in
     * the TCP buffers and then in the publisher (a destination that cannot keep up). {@link #resume()} undoes it.
     */
    public synchronized void pause() {
        requireRunning();
        nginx.pause();
    }

    /** Lets a frozen nginx continue (SIGCONT). */
    public synchronized void resume() {
        requireRunning();
        nginx.resume();
    }

    private void requireRunning() {
        if (!isRunning()) {
            throw new IllegalStateException("nginx-rtmp on port " + port + " is not running");
        }
    }

    /** Stops nginx for good; the work directory stays for inspection. */
    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return nginx != null && nginx.isAlive();
    }

    /** The process id of the running nginx (its one process does all the work: {@code master_process off}). */
    public synchronized long pid() {
        requireRunning();
        return nginx.pid();
    }

    /** The RTMP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The TLS port on 127.0.0.1 that proxies to {@link #port()}. */
    public int tlsPort() {
        requireTls();
        return tlsPort;
    }

    /** The PEM file of the CA that signed the TLS front's certificate; trust only this in the client. */
    public Path caCertFile() {
        requireTls();
        return certificates.caCertFile();
    }

    /** {@code rtmp://127.0.0.1:PORT/APP/NAME}, for publishing and for playing back. */
    public String rtmpUrl(String app, String name) {
        requireApplication(app);
        return "rtmp://127.0.0.1:" + port + "/" + app + "/" + name;
    }

    /** {@code rtmps://localhost:TLSPORT/APP/NAME}: the certificate names localhost and 127.0.0.1. */
    public String rtmpsUrl(String app, String name) {
        requireApplication(app);
        return "rtmps://localhost:" + tlsPort() + "/" + app + "/" + name;
    }

    public Path workDir() {
        return workDir;
    }

    /**
     * The recorded {@code .flv} files, one per publish session (but see {@link PublishEvent}), sorted by path (with
     * {@link Builder#withRecordingsPerApplication()}, in the applications' directories).
     */
    public List<Path> recordings() {
        Path directory = workDir.resolve("rec");
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory, 2)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".flv"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list recordings in " + directory, e);
        }
    }

    /** Every publish and publish_done so far, in the order nginx ran its hooks (none without the hooks). */
    public List<PublishEvent> publishSessions() {
        Path log = sessionsLogFile();
        try {
            if (!Files.exists(log)) {
                return List.of();
            }
            return Files.readAllLines(log).stream()
                    .filter(line -> !line.isBlank())
                    .map(PublishEvent::parse)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    /** nginx's error log (level info: connections, publishes, errors). */
    public String errorLog() {
        try {
            Path log = errorLogFile();
            return Files.exists(log) ? Files.readString(log) : "(no " + log + ")";
        } catch (IOException e) {
            return "(cannot read error log: " + e.getMessage() + ")";
        }
    }

    private void requireTls() {
        if (certificates == null) {
            throw new IllegalStateException(
                    "this nginx-rtmp has no TLS front; build it with NginxRtmp.builder(dir).withTls()");
        }
    }

    private void requireApplication(String app) {
        if (!applications.contains(app) && !pushApplications.containsKey(app)) {
            throw new IllegalArgumentException("nginx-rtmp has no application '" + app + "'; configured: "
                    + applications + " (add it with Builder.withApplications)");
        }
    }

    private void awaitAccepting(int awaitedPort) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!nginx.isAlive()) {
                throw startFailure(
                        "nginx exited with " + nginx.waitFor(Duration.ZERO).orElse(-1)
                                + " before accepting connections on 127.0.0.1:" + awaitedPort);
            }
            String log = errorLogOfThisRun();
            if (log.contains("[emerg]")) {
                // e.g. bind() failed: nginx retries for a while, and whoever holds the port would answer our probe
                throw startFailure("nginx reported an emergency while starting on 127.0.0.1:" + awaitedPort);
            }
            if (ListeningSockets.ownedBy(nginx.pid(), awaitedPort) && accepts(awaitedPort)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw startFailure(
                        "nginx did not accept connections on 127.0.0.1:" + awaitedPort + " within " + START_TIMEOUT);
            }
            pause(CONNECT_RETRY_PAUSE_MS);
        }
    }

    private IllegalStateException startFailure(String what) {
        nginx.kill();
        return new IllegalStateException(what + " (config " + configFile() + ")\n--- error.log ---\n"
                + errorLogOfThisRun() + "\n--- output ---\n" + nginx.log());
    }

    private long errorLogLength() {
        try {
            return Files.exists(errorLogFile()) ? Files.size(errorLogFile()) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + errorLogFile(), e);
        }
    }

    private String errorLogOfThisRun() {
        String log = errorLog();
        return log.length() >= errorLogOffset ? log.substring((int) errorLogOffset) : log;
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int)
                    CONNECT_ATTEMPT_TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for nginx", e);
        }
    }

    private void writeConfiguration() {
        try {
            Files.writeString(hookScript(), """
                    #!/bin/sh
                    # Called by nginx-rtmp's exec_publish / exec_publish_done: EVENT NAME
                    echo "$1 $2 $(date +%%s%%N)" >> %s
                    """.formatted(sessionsLogFile()));
            Files.writeString(configFile(), configuration());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write nginx configuration into " + workDir, e);
        }
    }

    private String configuration() {
        StringBuilder conf = new StringBuilder();
        conf.append("# Written by testkit NginxRtmp; one nginx per test, everything inside ")
                .append(workDir)
                .append('\n');
        conf.append("load_module ").append(RTMP_MODULE).append(";\n");
        if (certificates != null) {
            conf.append("load_module ").append(STREAM_MODULE).append(";\n");
        }
        conf.append("daemon off;\n");
        // One process: the rtmp module's live and record state then lives where exec hooks and signals reach it.
        conf.append("master_process off;\n");
        if ("root".equals(System.getProperty("user.name"))) {
            conf.append("user root;\n"); // lets a worker write recordings when nginx runs as root
        }
        conf.append("error_log ")
                .append(errorLogFile())
                .append(' ')
                .append(errorLogLevel)
                .append(";\n");
        conf.append("pid ").append(workDir.resolve("nginx.pid")).append(";\n");
        if (workerConnections != 256) {
            conf.append("worker_rlimit_nofile ").append(2 * workerConnections).append(";\n");
        }
        conf.append("events { worker_connections ").append(workerConnections).append("; }\n");
        // No http block: nginx then needs no client_body/proxy/fastcgi/uwsgi/scgi temp paths at all.
        conf.append("rtmp {\n  server {\n    listen 127.0.0.1:").append(port).append(";\n");
        for (String app : applications) {
            conf.append("    application ")
                    .append(app)
                    .append(" {\n")
                    .append("      live on;\n")
                    .append("      record all;\n")
                    .append("      record_unique on;\n")
                    .append("      record_path ")
                    .append(recordingsPerApplication ? workDir.resolve("rec").resolve(app) : workDir.resolve("rec"))
                    .append(";\n");
            if (sessionHooks) {
                conf.append("      exec_publish /bin/sh ")
                        .append(hookScript())
                        .append(" publish $name;\n")
                        .append("      exec_publish_done /bin/sh ")
                        .append(hookScript())
                        .append(" publish_done $name;\n");
            }
            if (playersFromAnyVideoTag) {
                conf.append("      wait_key off;\n");
            }
            if (idlePublisherTimeout != null) {
                conf.append("      drop_idle_publisher ")
                        .append(idlePublisherTimeout.toSeconds())
                        .append("s;\n");
            }
            conf.append("    }\n");
        }
        pushApplications.forEach((app, urls) -> {
            conf.append("    application ").append(app).append(" {\n      live on;\n");
            urls.forEach(url -> conf.append("      push ").append(url).append(";\n"));
            conf.append("    }\n");
        });
        conf.append("  }\n}\n");
        if (certificates != null) {
            // one line per TLS connection as it closes: its protocol, "r" when it resumed an earlier session, its
            // cipher
            conf.append("stream {\n  log_format tls_sessions '$ssl_protocol $ssl_session_reused $ssl_cipher';\n")
                    .append("  server {\n    access_log ")
                    .append(tlsSessionLogFile())
                    .append(" tls_sessions;\n")
                    .append("    listen 127.0.0.1:")
                    .append(tlsPort)
                    .append(" ssl;\n")
                    // as the platforms do (nginx 1.22's own default has no TLS 1.3)
                    .append("    ssl_protocols TLSv1.2 TLSv1.3;\n")
                    .append("    ssl_certificate ")
                    .append(certificates.serverCertFile())
                    .append(";\n")
                    .append("    ssl_certificate_key ")
                    .append(certificates.serverKeyFile())
                    .append(";\n")
                    .append("    proxy_pass 127.0.0.1:")
                    .append(port)
                    .append(";\n")
                    .append("  }\n}\n");
        }
        return conf.toString();
    }

    private Path configFile() {
        return workDir.resolve("nginx.conf");
    }

    private Path tlsSessionLogFile() {
        return workDir.resolve("tls-sessions.log");
    }

    /** A TLS connection the front has seen end: its protocol (e.g. {@code TLSv1.3}) and whether it was resumed. */
    public record TlsSession(String protocol, boolean resumed) {}

    /**
     * The TLS front's connections that have ended after a handshake, oldest first (nginx logs a connection when it
     * closes; connections that never shook hands, like the start-up probe's, are left out).
     */
    public List<TlsSession> tlsSessions() {
        requireTls();
        try {
            Path log = tlsSessionLogFile();
            if (!Files.exists(log)) {
                return List.of();
            }
            return Files.readAllLines(log).stream()
                    .map(line -> line.trim().split(" "))
                    .filter(f -> f.length == 3 && !f[2].equals("(NONE)") && !f[2].equals("-"))
                    .map(f -> new TlsSession(f[0], f[1].equals("r")))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + tlsSessionLogFile(), e);
        }
    }

    private Path errorLogFile() {
        return workDir.resolve("error.log");
    }

    private Path sessionsLogFile() {
        return workDir.resolve("sessions.log");
    }

    private Path hookScript() {
        return workDir.resolve("session-hook.sh");
    }

    @Override
    public String toString() {
        return "nginx-rtmp 127.0.0.1:" + port + (certificates != null ? " tls:" + tlsPort : "") + " in " + workDir;
    }
}
