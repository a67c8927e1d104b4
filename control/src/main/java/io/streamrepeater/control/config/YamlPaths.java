package io.streamrepeater.control.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;

/**
 * How messages name a place in the configuration: {@code channels[0].inputs[1]}, with "channel" as the root of a
 * channel read alone and "" (the top level) as the root of a file.
 */
final class YamlPaths {
    private YamlPaths() {}

    /** @return how messages call a path: "the top level" for the root of a file */
    static String describe(String path) {
        return path.isEmpty() ? "the top level" : path;
    }

    /** @return the path of the section or list the parser's context is in, e.g. {@code channels[0].inputs} */
    static String pathTo(JsonStreamContext context, String rootPath) {
        JsonStreamContext parent = context.getParent();
        if (parent == null || parent.inRoot()) {
            return rootPath;
        }
        return parent.inArray()
                ? pathTo(parent, rootPath) + "[" + parent.getCurrentIndex() + "]"
                : join(pathTo(parent, rootPath), parent.getCurrentName());
    }

    /** @return the path of the value at the parser's current token */
    static String valuePath(JsonParser parser, String rootPath) {
        JsonStreamContext context = parser.getParsingContext();
        if (parser.currentToken() == JsonToken.START_OBJECT || parser.currentToken() == JsonToken.START_ARRAY) {
            return pathTo(context, rootPath);
        }
        if (context.inRoot()) {
            return rootPath;
        }
        return context.inArray()
                ? pathTo(context, rootPath) + "[" + context.getCurrentIndex() + "]"
                : join(pathTo(context, rootPath), context.getCurrentName());
    }

    /** @return the path of a key in a section, e.g. {@code server.limits} */
    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** @return where a key is, as messages say it after the key: "at the top level" or "in server.tls" */
    static String where(String path) {
        return path.isEmpty() ? "at the top level" : "in " + path;
    }

    /** {@code channels[0].inputs} -> {@code channels[0]}. */
    static String parentOf(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(0, dot);
    }
}
