package io.streamrepeater.amf0;

import java.util.Map;
import java.util.Objects;

/**
 * An AMF0 typed object (marker 0x10), or an AMF3 object with a class name.
 *
 * @param className the ActionScript class alias the sender registered
 * @param properties the properties in wire order (the reader returns an {@link Amf0Object})
 */
public record Amf0TypedObject(String className, Map<String, Object> properties) {
    public Amf0TypedObject {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(properties, "properties");
    }
}
