package io.streamrepeater.control.config;

import io.streamrepeater.control.config.YamlBinding.Bound;
import io.streamrepeater.control.config.YamlBinding.Located;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the YAML configuration file of DESIGN §4 into a {@link StreamRepeaterConfig}.
 *
 * <p>Jackson binds the file onto {@link ConfigShape} ({@link YamlBinding}); {@link ServerReader} and
 * {@link ChannelReader} check the values, and this class reads the file and puts the parts together. Each problem
 * is reported as a {@link ConfigException} {@code source:line:column: problem} that names the offending key or
 * value, and the independent parts (server, each channel, each section of a channel) are checked on their own so
 * that one pass reports every problem ({@link Problems}). Unknown keys are errors at every level. Secrets (input keys, stream
 * keys, the admin token) never appear in a message. Scalars are taken as written: {@code 0x10} is not a port and
 * {@code yes} is not a boolean.
 */
public final class ConfigLoader {
    /** A configuration file is a few kilobytes; refuse to read something that is clearly not one. */
    public static final long MAX_FILE_BYTES = 1024 * 1024;

    private static final List<String> TOP_LEVEL_KEYS = List.of("server", "channels");

    private final ConfigValues values;
    private final ServerReader serverReader;
    private final ChannelReader channelReader;

    private ConfigLoader(String source, Bound<?> bound) {
        this.values = new ConfigValues(source, bound.unknownKeys(), bound.keyPositions());
        this.serverReader = new ServerReader(values);
        this.channelReader = new ChannelReader(values);
    }

    /**
     * @param file the YAML file; its path as given names it in messages
     * @return the validated configuration
     * @throws ConfigException if the file cannot be read or is not a valid configuration
     */
    public static StreamRepeaterConfig load(Path file) {
        String source = file.toString();
        String yaml;
        try {
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                // /dev/zero, a FIFO or a directory: its "size" says nothing and reading it may never end
                throw new ConfigException(source, 0, 0, "not a regular file: give the path of a YAML file");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new ConfigException(
                        source,
                        0,
                        0,
                        "file is " + size + " bytes, more than the limit of " + MAX_FILE_BYTES
                                + " for a configuration file");
            }
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source, 0, 0, "file not found", e);
        } catch (CharacterCodingException e) {
            throw new ConfigException(source, 0, 0, "file is not UTF-8 text", e);
        } catch (IOException e) {
            throw new ConfigException(source, 0, 0, "cannot read file: " + e, e);
        }
        return parse(yaml, source);
    }

    /**
     * @param yaml the text of a configuration file
     * @param sourceName how messages call it, usually the file name
     * @return the validated configuration
     * @throws ConfigException if the text is not a valid configuration
     */
    public static StreamRepeaterConfig parse(String yaml, String sourceName) {
        Bound<ConfigShape.File> bound = YamlBinding.read(yaml, sourceName, "", ConfigShape.File.class);
        if (bound.root() == null) {
            throw new ConfigException(
                    sourceName,
                    1,
                    1,
                    "no configuration found (the document is empty); expected keys "
                            + String.join(", ", TOP_LEVEL_KEYS));
        }
        return new ConfigLoader(sourceName, bound).config(bound.root());
    }

    /**
     * Parses one channel (a mapping with the keys of a {@code channels} entry), e.g. the JSON body of
     * an API request. Errors name the line, column and field like those of a configuration file.
     */
    public static ChannelConfig parseChannel(String text, String sourceName) {
        Bound<ConfigShape.Channel> bound = YamlBinding.read(text, sourceName, "channel", ConfigShape.Channel.class);
        if (bound.root() == null) {
            throw new ConfigException(sourceName, 1, 1, "no channel found (the document is empty)");
        }
        return new ConfigLoader(sourceName, bound).channelReader.read(bound.root(), "channel");
    }

    private StreamRepeaterConfig config(Located<ConfigShape.File> root) {
        ConfigShape.File top = ConfigValues.section(root);
        Problems problems = new Problems();
        problems.attempt(() -> values.allowOnly(""));
        ServerConfig server = problems.attempt(() ->
                ConfigValues.optional(top.server()).map(serverReader::read).orElseGet(ServerConfig::defaults));
        List<ChannelConfig> channels = problems.attempt(
                () -> ConfigValues.optional(top.channels()).map(this::channels).orElseGet(List::of));
        problems.throwIfAny();
        return values.build(root.at(), () -> new StreamRepeaterConfig(server, channels));
    }

    private List<ChannelConfig> channels(Located<List<Located<ConfigShape.Channel>>> node) {
        List<ChannelConfig> read = new ArrayList<>();
        Problems problems = new Problems();
        for (Located<ConfigShape.Channel> item : ConfigValues.section(node)) {
            String path = "channels[" + read.size() + "]";
            read.add(problems.attempt(() -> channelReader.read(item, path)));
        }
        problems.throwIfAny();
        return read;
    }
}
