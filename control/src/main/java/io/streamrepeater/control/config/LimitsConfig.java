package io.streamrepeater.control.config;

/**
 * The {@code server.limits:} section: what one ingest connection, or one address, may hold before it publishes or
 * while it does. Each hit closes only the connection concerned and is logged as one {@code event=ingest-limit} line.
 *
 * @param handshakeTimeoutMs time from accept to a completed RTMP handshake (default 10000, 100..600000)
 * @param publishTimeoutMs time from accept to an accepted {@code publish} command; a publishing encoder is never
 *     affected (default 15000, handshakeTimeoutMs..3600000)
 * @param maxChunkSize largest chunk size a peer may announce with SetChunkSize (default and maximum 16777215, the
 *     24-bit wire maximum; at least 128, the protocol's starting size); the undecoded input of a connection is at
 *     most one chunk
 * @param maxMessageSize largest message a peer may send (default and maximum 16777215; at least 1024)
 * @param maxConnections ingest connections open at once, from all addresses (default 1000, 1..1000000)
 * @param maxConnectionsPerAddress ingest connections open at once from one IP address (default 20, 1..1000000)
 * @param maxPendingBytes bytes of partly received messages one connection may hold, summed over its chunk streams
 *     (default 33554432 = 32 MiB; at least maxMessageSize, so that the largest message can be assembled)
 * @param prePublishMaxMessageSize largest message before a publish is accepted (default 16384, 1024..maxMessageSize);
 *     such a connection may hold four of them
 * @param prePublishPendingBytesTotal bytes of partly received messages all connections that have not published may
 *     hold together (default 33554432 = 32 MiB, at least 65536)
 * @param pendingBytesTotal bytes of partly received messages all publishing encoders may hold together; 0 (default):
 *     half the JVM's direct memory, at least 32 MiB
 */
public record LimitsConfig(
        int handshakeTimeoutMs,
        int publishTimeoutMs,
        int maxChunkSize,
        int maxMessageSize,
        int maxConnections,
        int maxConnectionsPerAddress,
        int maxPendingBytes,
        int prePublishMaxMessageSize,
        int prePublishPendingBytesTotal,
        int pendingBytesTotal) {
    public static final int DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
    /** Below 100 ms a distant encoder on a slow link could not finish its handshake. */
    public static final int MIN_HANDSHAKE_TIMEOUT_MS = 100;

    public static final int MAX_HANDSHAKE_TIMEOUT_MS = 600_000;
    public static final int DEFAULT_PUBLISH_TIMEOUT_MS = 15_000;
    public static final int MAX_PUBLISH_TIMEOUT_MS = 3_600_000;
    /** The 24-bit length field of a chunk header cannot say more. */
    public static final int MAX_24_BIT = 0xFFFFFF;
    /** Every connection starts at chunk size 128; a smaller maximum would refuse ordinary peers. */
    public static final int MIN_CHUNK_SIZE = 128;

    public static final int DEFAULT_MAX_CHUNK_SIZE = MAX_24_BIT;
    /** A connect command alone takes a few hundred bytes. */
    public static final int MIN_MESSAGE_SIZE = 1024;

    public static final int DEFAULT_MAX_MESSAGE_SIZE = MAX_24_BIT;
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 20;
    public static final int MAX_CONNECTIONS = 1_000_000;
    public static final int DEFAULT_MAX_PENDING_BYTES = 32 * 1024 * 1024;
    public static final int DEFAULT_PRE_PUBLISH_MAX_MESSAGE_SIZE = 16 * 1024;
    public static final int DEFAULT_PRE_PUBLISH_PENDING_BYTES_TOTAL = 32 * 1024 * 1024;
    public static final int MIN_PRE_PUBLISH_PENDING_BYTES_TOTAL = 64 * 1024;
    /** 0: half the JVM's direct memory. */
    public static final int DEFAULT_PENDING_BYTES_TOTAL = 0;

    /** The limits of earlier versions, with the defaults for what a connection may send before it publishes. */
    public LimitsConfig(
            int handshakeTimeoutMs,
            int publishTimeoutMs,
            int maxChunkSize,
            int maxMessageSize,
            int maxConnections,
            int maxConnectionsPerAddress,
            int maxPendingBytes) {
        this(
                handshakeTimeoutMs,
                publishTimeoutMs,
                maxChunkSize,
                maxMessageSize,
                maxConnections,
                maxConnectionsPerAddress,
                maxPendingBytes,
                Math.min(DEFAULT_PRE_PUBLISH_MAX_MESSAGE_SIZE, maxMessageSize),
                DEFAULT_PRE_PUBLISH_PENDING_BYTES_TOTAL,
                DEFAULT_PENDING_BYTES_TOTAL);
    }

    public LimitsConfig {
        ConfigRules.requireBetween(
                "handshakeTimeoutMs", handshakeTimeoutMs, MIN_HANDSHAKE_TIMEOUT_MS, MAX_HANDSHAKE_TIMEOUT_MS);
        ConfigRules.requireBetween(
                "publishTimeoutMs", publishTimeoutMs, MIN_HANDSHAKE_TIMEOUT_MS, MAX_PUBLISH_TIMEOUT_MS);
        requirePublishAfterHandshake(publishTimeoutMs, handshakeTimeoutMs);
        ConfigRules.requireBetween("maxChunkSize", maxChunkSize, MIN_CHUNK_SIZE, MAX_24_BIT);
        ConfigRules.requireBetween("maxMessageSize", maxMessageSize, MIN_MESSAGE_SIZE, MAX_24_BIT);
        ConfigRules.requireBetween("maxConnections", maxConnections, 1, MAX_CONNECTIONS);
        ConfigRules.requireBetween("maxConnectionsPerAddress", maxConnectionsPerAddress, 1, MAX_CONNECTIONS);
        requirePendingFitsMessage(maxPendingBytes, maxMessageSize);
        ConfigRules.requireBetween(
                "prePublishMaxMessageSize", prePublishMaxMessageSize, MIN_MESSAGE_SIZE, maxMessageSize);
        ConfigRules.requireBetween(
                "prePublishPendingBytesTotal",
                prePublishPendingBytesTotal,
                MIN_PRE_PUBLISH_PENDING_BYTES_TOTAL,
                Integer.MAX_VALUE);
        ConfigRules.requireBetween("pendingBytesTotal", pendingBytesTotal, 0, Integer.MAX_VALUE);
    }

    static void requirePublishAfterHandshake(int publishTimeoutMs, int handshakeTimeoutMs) {
        if (publishTimeoutMs < handshakeTimeoutMs) {
            throw new IllegalArgumentException(
                    "publishTimeoutMs " + publishTimeoutMs + " is below handshakeTimeoutMs " + handshakeTimeoutMs
                            + "; the handshake comes before the publish, so its deadline cannot be earlier");
        }
    }

    static void requirePendingFitsMessage(int maxPendingBytes, int maxMessageSize) {
        if (maxPendingBytes < maxMessageSize) {
            throw new IllegalArgumentException("maxPendingBytes " + maxPendingBytes + " is below maxMessageSize "
                    + maxMessageSize + "; a message of the largest allowed size could never be assembled");
        }
    }

    /** @return 10 s to handshake, 15 s to publish, 16 MiB chunks and messages, 1000 connections, 20 per address, 32 MiB pending */
    public static LimitsConfig defaults() {
        return new LimitsConfig(
                DEFAULT_HANDSHAKE_TIMEOUT_MS,
                DEFAULT_PUBLISH_TIMEOUT_MS,
                DEFAULT_MAX_CHUNK_SIZE,
                DEFAULT_MAX_MESSAGE_SIZE,
                DEFAULT_MAX_CONNECTIONS,
                DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
                DEFAULT_MAX_PENDING_BYTES);
    }
}
