package io.streamrepeater.control.config;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.streamrepeater.control.config.YamlBinding.Position;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The first pass over the tokens of a configuration, before Jackson binds it: refuses what a configuration file
 * has no use for and what binding would otherwise misread silently (a duplicate key, where the last one would win;
 * an alias; a second document; nesting deeper than {@link #MAX_DEPTH}) and notes where each key is written, so
 * that an unknown key can be reported at its own line and column.
 */
final class YamlTokenScan {
    /** A configuration file nests about five levels; anything far deeper is a mistake or an attack. */
    static final int MAX_DEPTH = 32;

    private static final YAMLFactory YAML = new YAMLFactory();

    private YamlTokenScan() {}

    /**
     * @param rootPath how messages call the document's root: "" for a whole file, "channel" for one channel
     * @param keyPositions filled with the place each key is written, by the key's path
     * @return false when the text holds no document
     * @throws ConfigException at the first construct listed above
     */
    static boolean scan(String yaml, String source, String rootPath, Map<String, Position> keyPositions)
            throws IOException {
        try (YAMLParser parser = YAML.createParser(yaml)) {
            Deque<Map<String, Integer>> open = new ArrayDeque<>();
            JsonToken token = parser.nextToken();
            if (token == null) {
                return false;
            }
            boolean rootDone = false;
            for (; token != null; token = parser.nextToken()) {
                Position at = Position.of(parser.currentTokenLocation());
                if (rootDone) {
                    throw error(
                            source, at, "a second YAML document starts here; a configuration file holds exactly one");
                }
                if (token.isScalarValue() || token.isStructStart()) {
                    if (open.size() + 1 > MAX_DEPTH) {
                        throw error(
                                source,
                                at,
                                "nesting deeper than " + MAX_DEPTH + " levels at "
                                        + YamlPaths.describe(YamlPaths.valuePath(parser, rootPath)));
                    }
                    if (parser.isCurrentAlias()) {
                        throw error(
                                source,
                                at,
                                "YAML alias '*" + parser.getText() + "' at "
                                        + YamlPaths.describe(YamlPaths.valuePath(parser, rootPath))
                                        + " is not supported; write the value out");
                    }
                }
                switch (token) {
                    case START_OBJECT, START_ARRAY ->
                        open.push(token == JsonToken.START_OBJECT ? new HashMap<>() : Map.of());
                    case END_OBJECT, END_ARRAY -> open.pop();
                    case FIELD_NAME -> {
                        String key = parser.currentName();
                        String section = YamlPaths.pathTo(parser.getParsingContext(), rootPath);
                        Integer earlier = open.peek().putIfAbsent(key, at.line());
                        if (earlier != null) {
                            throw error(
                                    source,
                                    at,
                                    "duplicate key '" + key + "' in " + YamlPaths.describe(section) + " (first at line "
                                            + earlier + ")");
                        }
                        keyPositions.put(YamlPaths.join(section, key), at);
                    }
                    default -> {}
                }
                rootDone = open.isEmpty();
            }
            return true;
        }
    }

    private static ConfigException error(String source, Position at, String problem) {
        return new ConfigException(source, at.line(), at.column(), problem);
    }
}
