package io.streamrepeater.amf0;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An AMF0 ECMA array (marker 0x08), the associative array that carries {@code onMetaData}: entries in
 * wire order. The count on the wire is only a hint (encoders get it wrong); the writer writes the true
 * size and the reader ignores it.
 */
public final class Amf0EcmaArray extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;

    public Amf0EcmaArray() {}

    public Amf0EcmaArray(Map<String, ?> entries) {
        super(entries);
    }
}
