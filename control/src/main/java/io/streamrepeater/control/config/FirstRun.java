package io.streamrepeater.control.config;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The configuration created when the server starts with an empty data directory and no
 * {@code --config} (DESIGN §4 "First run"): channel {@code main} with inputs {@code primary} and
 * {@code backup}, generated keys, default failover, no destinations, a generated admin token.
 */
public final class FirstRun {
    public static final String CHANNEL_NAME = "main";
    public static final String PRIMARY_INPUT = "primary";
    public static final String BACKUP_INPUT = "backup";
    /** 24 random bytes: 192 bits, exactly 32 URL-safe Base64 characters, no padding. */
    private static final int SECRET_BYTES = 24;

    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private FirstRun() {}

    /** @return the first-run configuration on default ports and data directory */
    public static StreamRepeaterConfig defaultConfig(SecureRandom random) {
        return defaultConfig(ServerConfig.defaults(), random);
    }

    /**
     * @param server ports and data directory chosen on the command line; an admin token is generated
     *     if it has none
     * @param random source of the keys and the token
     * @return the first-run configuration
     */
    public static StreamRepeaterConfig defaultConfig(ServerConfig server, SecureRandom random) {
        ServerConfig withToken = server.adminToken() != null ? server : server.withAdminToken(newAdminToken(random));
        ChannelConfig main = new ChannelConfig(
                CHANNEL_NAME,
                List.of(
                        new InputConfig(PRIMARY_INPUT, newStreamKey(random)),
                        new InputConfig(BACKUP_INPUT, newStreamKey(random))),
                FailoverConfig.defaults(),
                null,
                List.of());
        return new StreamRepeaterConfig(withToken, List.of(main));
    }

    /** @return a new input key: 32 URL-safe characters ({@code A-Z a-z 0-9 - _}), 192 random bits */
    public static String newStreamKey(SecureRandom random) {
        return newSecret(random);
    }

    /** @return a new admin token: 32 URL-safe characters, 192 random bits */
    public static String newAdminToken(SecureRandom random) {
        return newSecret(random);
    }

    private static String newSecret(SecureRandom random) {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return URL_SAFE.encodeToString(bytes);
    }
}
