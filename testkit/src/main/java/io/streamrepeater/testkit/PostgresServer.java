package io.streamrepeater.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway PostgreSQL cluster for one test run: {@code initdb} into a fresh directory, {@code pg_ctl start}
 * on a free port of 127.0.0.1 (its Unix socket inside that directory, trust authentication for user
 * {@code postgres}), {@link #close()} stops it and deletes the directory.
 *
 * <p>PostgreSQL refuses to run as root, so when the tests run as root (containers, CI) every PostgreSQL
 * command runs as the {@code postgres} system user ({@code runuser -u postgres --}), which Debian's package
 * creates, and the directory belongs to that user. The binaries are taken from the newest
 * {@code /usr/lib/postgresql/NN/bin} (Debian's package {@code postgresql}, installed by
 * scripts/install-test-deps.sh). Every wait is bounded; a JVM that exits without {@link #close()} stops the
 * cluster from a shutdown hook.
 *
 * <p>Why it is longer than ~400 lines: each step (initdb, start, wait, stop, clean up) has its own bounded wait and
 * its own error text naming what to install or fix; they read best in order, in one place.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    private static final Path DEBIAN_INSTALL_ROOT = Path.of("/usr/lib/postgresql");
    private static final String SYSTEM_USER = "postgres";
    private static final String SUPERUSER = "postgres";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final int START_TIMEOUT_SECONDS = 30;
    private static final int STOP_TIMEOUT_SECONDS = 20;
    private static final int PORT_ATTEMPTS = 3;

    private final Path binDirectory;
    private final Path directory;
    private final Path dataDirectory;
    private final Path logFile;
    private final boolean asSystemUser;
    private final AtomicInteger databaseCounter = new AtomicInteger();
    private final Thread shutdownHook;
    private int port;
    private boolean running;

    private PostgresServer(Path binDirectory, Path directory, boolean asSystemUser) {
        this.binDirectory = binDirectory;
        this.directory = directory;
        this.dataDirectory = directory.resolve("data");
        this.logFile = directory.resolve("postgres.log");
        this.asSystemUser = asSystemUser;
        this.shutdownHook = new Thread(this::stopQuietly, "testkit-postgres-stopper");
    }

    /**
     * Creates a cluster in a new directory under {@code java.io.tmpdir} and starts it, waiting (at most 30 s)
     * until it accepts connections; retries with another port if the chosen one was taken meanwhile.
     *
     * @throws IllegalStateException if PostgreSQL is not installed or does not start; the message holds its log
     */
    public static PostgresServer start() {
        Path bin = findBinDirectory();
        boolean asSystemUser = "root".equals(System.getProperty("user.name"));
        Path directory;
        try {
            // Not under a JUnit @TempDir: those are private to root and the postgres user could not enter them.
            directory = Files.createTempDirectory("streamrepeater-postgres-");
            if (asSystemUser) {
                giveToSystemUser(directory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for a PostgreSQL test cluster", e);
        }
        PostgresServer server = new PostgresServer(bin, directory, asSystemUser);
        try {
            server.initdb();
            server.startOnFreePort();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** @return the newest {@code /usr/lib/postgresql/NN/bin} that has initdb and pg_ctl */
    static Path findBinDirectory() {
        if (!Files.isDirectory(DEBIAN_INSTALL_ROOT)) {
            throw notInstalled();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_INSTALL_ROOT)) {
            return versions.filter(version -> version.getFileName().toString().matches("[0-9]+"))
                    .max(Comparator.comparingInt(
                            version -> Integer.parseInt(version.getFileName().toString())))
                    .map(version -> version.resolve("bin"))
                    .filter(bin ->
                            Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
                    .orElseThrow(PostgresServer::notInstalled);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + DEBIAN_INSTALL_ROOT, e);
        }
    }

    private static IllegalStateException notInstalled() {
        return new IllegalStateException("PostgreSQL server binaries not found under " + DEBIAN_INSTALL_ROOT
                + "/NN/bin; run scripts/install-test-deps.sh (Debian package postgresql)");
    }

    private void initdb() {
        run(
                "initdb",
                List.of(
                        bin("initdb"),
                        "-D",
                        dataDirectory.toString(),
                        "-U",
                        SUPERUSER,
                        "--auth=trust",
                        "--encoding=UTF8",
                        "--locale=C",
                        "--no-sync"));
    }

    private void startOnFreePort() {
        for (int attempt = 1; ; attempt++) {
            port = FreePorts.loopback();
            long logOffset = logLength();
            try {
                pgCtlStart();
                return;
            } catch (IllegalStateException e) {
                boolean portTaken = logSince(logOffset).contains("could not bind");
                if (!portTaken || attempt == PORT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void pgCtlStart() {
        run(
                "pg_ctl start",
                List.of(
                        bin("pg_ctl"),
                        "-D",
                        dataDirectory.toString(),
                        "-l",
                        logFile.toString(),
                        "-w",
                        "-t",
                        Integer.toString(START_TIMEOUT_SECONDS),
                        "-o",
                        serverOptions(),
                        "start"));
        running = true;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        LOG.debug("event=postgres-started port={} directory={}", port, directory);
    }

    /**
     * Stops the server (fast shutdown: open connections are closed, at most 20 s) and keeps its data, directory and
     * port, for a test of a database outage; {@link #startAgain()} brings it back, {@link #close()} still cleans up.
     */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        pgCtlStop();
        running = false;
        removeShutdownHook();
    }

    /**
     * Starts a server stopped with {@link #stop()} again, on the same port with the same data, waiting (at most 30 s)
     * until it accepts connections.
     *
     * @throws IllegalStateException if it does not start (the port was taken meanwhile, say); the message holds its log
     */
    public synchronized void startAgain() {
        if (!running) {
            pgCtlStart();
        }
    }

    private void pgCtlStop() {
        run(
                "pg_ctl stop",
                List.of(
                        bin("pg_ctl"),
                        "-D",
                        dataDirectory.toString(),
                        "-m",
                        "fast",
                        "-w",
                        "-t",
                        Integer.toString(STOP_TIMEOUT_SECONDS),
                        "stop"));
    }

    /** Small and local: loopback TCP only, the Unix socket in the cluster's directory, few connections. */
    private String serverOptions() {
        return "-p " + port + " -k " + directory + " -c listen_addresses=127.0.0.1 -c max_connections=30"
                + " -c shared_buffers=16MB";
    }

    /** The port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/postgres?user=postgres}: the cluster's default database. */
    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/DATABASE?user=postgres} (trust authentication: no password). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + SUPERUSER;
    }

    /**
     * Creates an empty database, so that each test starts from nothing without a cluster of its own.
     *
     * @return the JDBC URL of the new database (see {@link #jdbcUrl(String)})
     */
    public String createDatabase() {
        String name = "test_" + databaseCounter.incrementAndGet();
        psql("CREATE DATABASE " + name);
        return jdbcUrl(name);
    }

    /**
     * Runs one SQL command with {@code psql} in the default database.
     *
     * @return psql's output in unaligned, tuples-only form (e.g. {@code 1} for {@code SELECT 1})
     * @throws IllegalStateException if the command fails; the message holds psql's output
     */
    public String psql(String sql) {
        return run(
                        "psql",
                        List.of(
                                bin("psql"),
                                "-h",
                                "127.0.0.1",
                                "-p",
                                Integer.toString(port),
                                "-U",
                                SUPERUSER,
                                "-d",
                                "postgres",
                                "-v",
                                "ON_ERROR_STOP=1",
                                "-X",
                                "-A",
                                "-t",
                                "-c",
                                sql))
                .strip();
    }

    /** The server's log so far. */
    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile) : "(no " + logFile + ")";
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    public synchronized boolean isRunning() {
        return running;
    }

    /** The cluster's directory (data, log, socket); deleted by {@link #close()}. */
    public Path directory() {
        return directory;
    }

    /** Stops the cluster (fast shutdown, at most 20 s) and deletes its directory. */
    @Override
    public synchronized void close() {
        try {
            if (running) {
                pgCtlStop();
                running = false;
                removeShutdownHook();
            }
        } finally {
            if (!running) {
                deleteDirectory();
            }
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is running or has run
        }
    }

    private void stopQuietly() {
        synchronized (this) {
            if (!running) {
                return;
            }
        }
        try {
            run(
                    "pg_ctl stop",
                    List.of(
                            bin("pg_ctl"),
                            "-D",
                            dataDirectory.toString(),
                            "-m",
                            "immediate",
                            "-w",
                            "-t",
                            Integer.toString(STOP_TIMEOUT_SECONDS),
                            "stop"));
        } catch (RuntimeException e) {
            System.err.println("testkit: could not stop PostgreSQL in " + directory + ": " + e.getMessage());
        }
    }

    private String bin(String name) {
        return binDirectory.resolve(name).toString();
    }

    /** Runs a PostgreSQL command (as the postgres user when we are root), bounded; its output, or an exception. */
    private String run(String what, List<String> command) {
        List<String> full = new ArrayList<>();
        if (asSystemUser) {
            full.addAll(List.of("runuser", "-u", SYSTEM_USER, "--"));
        }
        full.addAll(command);
        Path output = null;
        try {
            // one output file per command: tests may create databases from several threads
            output = Files.createTempFile(directory, "command-", ".out");
            Process process = new ProcessBuilder(full)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw failure(what + " did not finish within " + COMMAND_TIMEOUT, output);
            }
            if (process.exitValue() != 0) {
                throw failure(what + " exited with " + process.exitValue(), output);
            }
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + what + " (" + String.join(" ", full) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + what, e);
        } finally {
            deleteQuietly(output);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a leftover output file goes with the directory at close()
            }
        }
    }

    private IllegalStateException failure(String what, Path output) {
        String commandOutput;
        try {
            commandOutput = Files.exists(output) ? Files.readString(output) : "";
        } catch (IOException e) {
            commandOutput = "(cannot read " + output + ")";
        }
        return new IllegalStateException("PostgreSQL test cluster in " + directory + " (port " + port + "): " + what
                + "\n--- output ---\n" + commandOutput + "\n--- server log ---\n" + log());
    }

    private long logLength() {
        try {
            return Files.exists(logFile) ? Files.size(logFile) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private String logSince(long offset) {
        String log = log();
        return log.length() >= offset ? log.substring((int) offset) : log;
    }

    private static void giveToSystemUser(Path path) throws IOException {
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal owner;
        try {
            owner = users.lookupPrincipalByName(SYSTEM_USER);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "system user '" + SYSTEM_USER + "' does not exist; it comes with"
                            + " Debian's package postgresql (scripts/install-test-deps.sh)",
                    e);
        }
        Files.setOwner(path, owner);
    }

    private void deleteDirectory() {
        if (!Files.exists(directory)) {
            return;
        }
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("event=postgres-directory-left directory={} error={}", directory, e.toString());
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL 127.0.0.1:" + port + " in " + directory;
    }
}
