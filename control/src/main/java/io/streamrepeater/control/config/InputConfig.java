package io.streamrepeater.control.config;

/**
 * One input of a channel; its position in the channel's list is its priority (first = primary).
 *
 * @param name input name, {@code [a-z0-9-]+}, unique within its channel
 * @param key secret stream key that selects this input at ingest; unique across all channels
 * @param allowTakeover true (default): a new publisher on a key that is already live takes the input over
 *     (an encoder reconnecting after a blip is not locked out by its own half-open connection);
 *     false: the new publisher is refused while the input is live
 * @param srtPassphrase the SRT passphrase (AES) an encoder must use to publish to this input over SRT; null: SRT
 *     connections to this input are not encrypted (RTMP ingest ignores it)
 */
public record InputConfig(String name, String key, boolean allowTakeover, String srtPassphrase) {
    public static final boolean DEFAULT_ALLOW_TAKEOVER = true;

    public InputConfig {
        ConfigRules.requireName("input", name);
        ConfigRules.requireInputKey(name, key);
        ConfigRules.requireSrtPassphrase(name, srtPassphrase);
    }

    /**
     * Checks a key given now (configuration file, {@code apply}, the API): the rules of any key, and at least
     * {@link ConfigRules#MIN_NEW_KEY_LENGTH} characters. Keys stored by earlier versions are read without it.
     *
     * @throws IllegalArgumentException naming the input, never the key
     */
    public static String requireNewKey(String inputName, String key) {
        return ConfigRules.requireNewInputKey(inputName, key);
    }

    /** An input without an SRT passphrase. */
    public InputConfig(String name, String key, boolean allowTakeover) {
        this(name, key, allowTakeover, null);
    }

    /** An input that allows takeover. */
    public InputConfig(String name, String key) {
        this(name, key, DEFAULT_ALLOW_TAKEOVER);
    }

    /** Keeps the key out of logs. */
    @Override
    public String toString() {
        return "InputConfig[name=" + name + ", key=" + DestinationUrl.MASK + ", allowTakeover=" + allowTakeover
                + (srtPassphrase == null ? "" : ", srtPassphrase=" + DestinationUrl.MASK) + "]";
    }
}
