package io.streamrepeater.control.config;

import io.streamrepeater.control.config.YamlBinding.Located;
import io.streamrepeater.control.config.YamlBinding.Scalar;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads the {@code server.limits:} section. Every key is a whole number in a range with a default, so one table
 * ({@link Limit}) drives the checks; two rules between keys follow.
 */
final class LimitsReader {
    /**
     * The keys of {@code server.limits}, in the order they are checked, with their range and default (see
     * {@link LimitsConfig}).
     */
    enum Limit {
        HANDSHAKE_TIMEOUT(
                "handshakeTimeoutMs",
                ConfigShape.Limits::handshakeTimeoutMs,
                LimitsConfig.MIN_HANDSHAKE_TIMEOUT_MS,
                LimitsConfig.MAX_HANDSHAKE_TIMEOUT_MS,
                LimitsConfig.DEFAULT_HANDSHAKE_TIMEOUT_MS),
        PUBLISH_TIMEOUT(
                "publishTimeoutMs",
                ConfigShape.Limits::publishTimeoutMs,
                LimitsConfig.MIN_HANDSHAKE_TIMEOUT_MS,
                LimitsConfig.MAX_PUBLISH_TIMEOUT_MS,
                LimitsConfig.DEFAULT_PUBLISH_TIMEOUT_MS),
        CHUNK_SIZE(
                "maxChunkSize",
                ConfigShape.Limits::maxChunkSize,
                LimitsConfig.MIN_CHUNK_SIZE,
                LimitsConfig.MAX_24_BIT,
                LimitsConfig.DEFAULT_MAX_CHUNK_SIZE),
        MESSAGE_SIZE(
                "maxMessageSize",
                ConfigShape.Limits::maxMessageSize,
                LimitsConfig.MIN_MESSAGE_SIZE,
                LimitsConfig.MAX_24_BIT,
                LimitsConfig.DEFAULT_MAX_MESSAGE_SIZE),
        CONNECTIONS(
                "maxConnections",
                ConfigShape.Limits::maxConnections,
                1,
                LimitsConfig.MAX_CONNECTIONS,
                LimitsConfig.DEFAULT_MAX_CONNECTIONS),
        CONNECTIONS_PER_ADDRESS(
                "maxConnectionsPerAddress",
                ConfigShape.Limits::maxConnectionsPerAddress,
                1,
                LimitsConfig.MAX_CONNECTIONS,
                LimitsConfig.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS),
        PENDING_BYTES(
                "maxPendingBytes",
                ConfigShape.Limits::maxPendingBytes,
                1,
                Integer.MAX_VALUE,
                LimitsConfig.DEFAULT_MAX_PENDING_BYTES),
        /** At most maxMessageSize, and so is its default. */
        PRE_PUBLISH_MESSAGE_SIZE(
                "prePublishMaxMessageSize",
                ConfigShape.Limits::prePublishMaxMessageSize,
                LimitsConfig.MIN_MESSAGE_SIZE,
                LimitsConfig.MAX_24_BIT,
                LimitsConfig.DEFAULT_PRE_PUBLISH_MAX_MESSAGE_SIZE),
        PRE_PUBLISH_PENDING_TOTAL(
                "prePublishPendingBytesTotal",
                ConfigShape.Limits::prePublishPendingBytesTotal,
                LimitsConfig.MIN_PRE_PUBLISH_PENDING_BYTES_TOTAL,
                Integer.MAX_VALUE,
                LimitsConfig.DEFAULT_PRE_PUBLISH_PENDING_BYTES_TOTAL),
        PENDING_TOTAL(
                "pendingBytesTotal",
                ConfigShape.Limits::pendingBytesTotal,
                0,
                Integer.MAX_VALUE,
                LimitsConfig.DEFAULT_PENDING_BYTES_TOTAL);

        final String key;
        final Function<ConfigShape.Limits, Scalar> field;
        final int minimum;
        final int maximum;
        final int defaultValue;

        Limit(String key, Function<ConfigShape.Limits, Scalar> field, int minimum, int maximum, int defaultValue) {
            this.key = key;
            this.field = field;
            this.minimum = minimum;
            this.maximum = maximum;
            this.defaultValue = defaultValue;
        }
    }

    private final ConfigValues values;

    LimitsReader(ConfigValues values) {
        this.values = values;
    }

    LimitsConfig read(Located<ConfigShape.Limits> node, String path) {
        ConfigShape.Limits limits = ConfigValues.section(node);
        values.allowOnly(path);
        Map<Limit, Integer> read = new EnumMap<>(Limit.class);
        // The first problem of the section is the one reported, so the order of the checks is kept: the limits of
        // earlier versions, the rules between them, then the limits added later.
        for (Limit limit : EnumSet.range(Limit.HANDSHAKE_TIMEOUT, Limit.PENDING_BYTES)) {
            read.put(limit, read(limits, path, limit, Integer.MAX_VALUE));
        }
        int handshakeTimeoutMs = read.get(Limit.HANDSHAKE_TIMEOUT);
        int publishTimeoutMs = read.get(Limit.PUBLISH_TIMEOUT);
        int maxMessageSize = read.get(Limit.MESSAGE_SIZE);
        int maxPendingBytes = read.get(Limit.PENDING_BYTES);
        // A rule between two keys is reported at the second one, or at the section when it is left to its default.
        values.rule(
                ConfigValues.optional(limits.publishTimeoutMs()).map(Scalar::at).orElse(node.at()), () -> {
                    LimitsConfig.requirePublishAfterHandshake(publishTimeoutMs, handshakeTimeoutMs);
                    return null;
                });
        values.rule(
                ConfigValues.optional(limits.maxPendingBytes()).map(Scalar::at).orElse(node.at()), () -> {
                    LimitsConfig.requirePendingFitsMessage(maxPendingBytes, maxMessageSize);
                    return null;
                });
        read.put(Limit.PRE_PUBLISH_MESSAGE_SIZE, read(limits, path, Limit.PRE_PUBLISH_MESSAGE_SIZE, maxMessageSize));
        for (Limit limit : EnumSet.range(Limit.PRE_PUBLISH_PENDING_TOTAL, Limit.PENDING_TOTAL)) {
            read.put(limit, read(limits, path, limit, Integer.MAX_VALUE));
        }
        return values.build(
                node.at(),
                () -> new LimitsConfig(
                        handshakeTimeoutMs,
                        publishTimeoutMs,
                        read.get(Limit.CHUNK_SIZE),
                        maxMessageSize,
                        read.get(Limit.CONNECTIONS),
                        read.get(Limit.CONNECTIONS_PER_ADDRESS),
                        maxPendingBytes,
                        read.get(Limit.PRE_PUBLISH_MESSAGE_SIZE),
                        read.get(Limit.PRE_PUBLISH_PENDING_TOTAL),
                        read.get(Limit.PENDING_TOTAL)));
    }

    /** @param cap the largest value another key allows; the default and the maximum are lowered to it */
    private int read(ConfigShape.Limits limits, String path, Limit limit, int cap) {
        return values.between(
                limit.field.apply(limits),
                limit.key,
                path,
                Math.min(limit.defaultValue, cap),
                limit.minimum,
                Math.min(limit.maximum, cap));
    }
}
