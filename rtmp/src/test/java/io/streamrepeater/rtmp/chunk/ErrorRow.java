package io.streamrepeater.rtmp.chunk;

import java.util.List;

/** A chunk sequence the decoder must reject, with the exact message it must give and what it decodes before. */
record ErrorRow(
        String name, ChunkLimits limits, Wire wire, String expectedError, List<ExpectedMessage> messagesBefore) {
    @Override
    public String toString() {
        return name;
    }
}
