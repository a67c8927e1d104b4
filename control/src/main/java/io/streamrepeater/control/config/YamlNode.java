package io.streamrepeater.control.config;

import java.util.List;
import java.util.Map;

/**
 * A YAML value with the position it was read from, so that every configuration error can name
 * {@code line:column}. Jackson's {@code JsonNode} forgets positions, hence this small tree.
 */
sealed interface YamlNode permits YamlNode.Mapping, YamlNode.Sequence, YamlNode.Scalar {

    /** @return where the value starts in the source */
    Position position();

    /** @return how the value is called in messages: "a mapping", "a list", "a value" */
    String description();

    /** 1-based line and column. */
    record Position(int line, int column) {}

    /** A key as written, with its own position (unknown keys are reported there). */
    record Entry(String key, Position keyPosition, YamlNode value) {}

    /** A mapping with its entries in file order, keys unique. */
    record Mapping(Map<String, Entry> entries, Position position) implements YamlNode {
        @Override
        public String description() {
            return "a mapping";
        }
    }

    /** A list. */
    record Sequence(List<YamlNode> items, Position position) implements YamlNode {
        @Override
        public String description() {
            return "a list";
        }
    }

    /**
     * A scalar as written in the file (numbers and booleans too, so that {@code 0x10} or {@code yes}
     * can be refused with the user's own spelling).
     *
     * @param text the scalar's text; null for a YAML null ({@code ~}, {@code null} or nothing)
     */
    record Scalar(String text, Position position) implements YamlNode {
        @Override
        public String description() {
            return text == null ? "nothing (null)" : "a value";
        }
    }
}
