package io.streamrepeater.control.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads one YAML document into a {@link YamlNode} tree by walking Jackson's YAML token stream, keeping
 * the position of every key and value. Refuses what a configuration file has no use for and what would
 * otherwise be silently misread: duplicate keys, aliases, several documents, deep nesting.
 */
final class YamlTreeReader {
    /** A configuration file nests about five levels; anything far deeper is a mistake or an attack. */
    static final int MAX_DEPTH = 32;

    private static final YAMLFactory YAML = new YAMLFactory();

    private final String source;
    private final YAMLParser parser;

    private YamlTreeReader(String source, YAMLParser parser) {
        this.source = source;
        this.parser = parser;
    }

    /**
     * @param yaml the text of the file
     * @param source file name for messages
     * @return the document's root, or null when the text holds no document (empty or only comments)
     * @throws ConfigException on a YAML syntax error or a construct listed above
     */
    static YamlNode read(String yaml, String source) {
        try (YAMLParser parser = YAML.createParser(yaml)) {
            YamlTreeReader reader = new YamlTreeReader(source, parser);
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            YamlNode root = reader.readValue(first, "", 1);
            JsonToken extra = parser.nextToken();
            if (extra != null) {
                throw reader.error(
                        reader.tokenPosition(),
                        "a second YAML document starts here; a configuration file holds exactly one");
            }
            return root;
        } catch (JsonProcessingException | YAMLException e) {
            throw syntaxError(source, e);
        } catch (IOException e) {
            throw new ConfigException(source, 0, 0, "cannot read YAML: " + e.getMessage(), e);
        }
    }

    private YamlNode readValue(JsonToken token, String path, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw error(tokenPosition(), "nesting deeper than " + MAX_DEPTH + " levels at " + describe(path));
        }
        YamlNode.Position position = tokenPosition();
        if (parser.isCurrentAlias()) {
            throw error(
                    position,
                    "YAML alias '*" + parser.getText() + "' at " + describe(path)
                            + " is not supported; write the value out");
        }
        switch (token) {
            case START_OBJECT:
                return readMapping(path, depth, position);
            case START_ARRAY:
                return readSequence(path, depth, position);
            case VALUE_NULL:
                return new YamlNode.Scalar(null, position);
            case VALUE_STRING:
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
            case VALUE_TRUE:
            case VALUE_FALSE:
            case VALUE_EMBEDDED_OBJECT:
                return new YamlNode.Scalar(parser.getText(), position);
            default:
                throw error(position, "unexpected YAML token " + token + " at " + describe(path));
        }
    }

    private YamlNode.Mapping readMapping(String path, int depth, YamlNode.Position position) throws IOException {
        Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            if (token != JsonToken.FIELD_NAME) {
                throw error(tokenPosition(), "expected a key in " + describe(path) + ", got " + token);
            }
            String key = parser.currentName();
            YamlNode.Position keyPosition = tokenPosition();
            YamlNode.Entry earlier = entries.get(key);
            if (earlier != null) {
                throw error(
                        keyPosition,
                        "duplicate key '" + key + "' in " + describe(path) + " (first at line "
                                + earlier.keyPosition().line() + ")");
            }
            String childPath = path.isEmpty() ? key : path + "." + key;
            YamlNode value = readValue(parser.nextToken(), childPath, depth + 1);
            entries.put(key, new YamlNode.Entry(key, keyPosition, value));
        }
        return new YamlNode.Mapping(entries, position);
    }

    private YamlNode.Sequence readSequence(String path, int depth, YamlNode.Position position) throws IOException {
        List<YamlNode> items = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            items.add(readValue(token, path + "[" + items.size() + "]", depth + 1));
        }
        return new YamlNode.Sequence(items, position);
    }

    private YamlNode.Position tokenPosition() {
        JsonLocation location = parser.currentTokenLocation();
        return new YamlNode.Position(location.getLineNr(), location.getColumnNr());
    }

    private ConfigException error(YamlNode.Position position, String problem) {
        return new ConfigException(source, position.line(), position.column(), problem);
    }

    static String describe(String path) {
        return path.isEmpty() ? "the top level" : path;
    }

    /** The problem and position as SnakeYAML saw them, without its multi-line excerpt of the file. */
    private static ConfigException syntaxError(String source, Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                Mark mark = marked.getProblemMark();
                return new ConfigException(
                        source,
                        mark.getLine() + 1,
                        mark.getColumn() + 1,
                        "YAML syntax error: " + marked.getProblem(),
                        e);
            }
        }
        int line = 0;
        int column = 0;
        if (e instanceof JsonProcessingException processing && processing.getLocation() != null) {
            line = processing.getLocation().getLineNr();
            column = processing.getLocation().getColumnNr();
        }
        String message =
                e instanceof JsonProcessingException processing ? processing.getOriginalMessage() : e.getMessage();
        String firstLine = message == null
                ? e.getClass().getSimpleName()
                : message.lines().findFirst().orElse("");
        return new ConfigException(source, line, column, "YAML syntax error: " + firstLine, e);
    }
}
