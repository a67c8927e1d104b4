package io.streamrepeater.app.bench;

/**
 * What the soaked server's {@code /metrics} said about its memory at one moment, right after a full GC.
 *
 * @param elapsedSeconds seconds since the soak started
 * @param heapUsedBytes {@code jvm_memory_used_bytes{area="heap"}}, all pools added up
 * @param directBufferBytes {@code jvm_buffer_memory_used_bytes{id="direct"}}: every direct {@code ByteBuffer},
 *     which includes the chunks of Netty's allocators (they allocate with a cleaner on Java 17 by default)
 * @param nettyPooledDirectBytes {@code netty_pooled_used_direct_memory_bytes}: the pooled allocator's share
 * @param activeInput the input feeding the destinations then, or {@code none}
 * @param liveDestinations how many destinations were LIVE then
 */
record MemorySample(
        long elapsedSeconds,
        long heapUsedBytes,
        long directBufferBytes,
        long nettyPooledDirectBytes,
        String activeInput,
        int liveDestinations) {

    static final String CSV_HEADER =
            "elapsed_s,heap_used_bytes,direct_buffer_bytes,netty_pooled_direct_bytes,active_input,live_destinations";

    String csvLine() {
        return elapsedSeconds + "," + heapUsedBytes + "," + directBufferBytes + "," + nettyPooledDirectBytes + ","
                + activeInput + "," + liveDestinations;
    }
}
