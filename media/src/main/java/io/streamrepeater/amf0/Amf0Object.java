package io.streamrepeater.amf0;

import java.util.LinkedHashMap;
import java.util.Map;

/** An AMF0 anonymous object (marker 0x03): named properties in the order they were read or put. */
public final class Amf0Object extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;

    public Amf0Object() {}

    public Amf0Object(Map<String, ?> properties) {
        super(properties);
    }
}
