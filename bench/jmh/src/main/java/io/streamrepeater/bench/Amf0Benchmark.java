package io.streamrepeater.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.streamrepeater.amf0.Amf0EcmaArray;
import io.streamrepeater.amf0.Amf0Reader;
import io.streamrepeater.amf0.Amf0Writer;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** AMF0 on an onMetaData as encoders send it: command-path cost, not per frame, but per connection and switch. */
@State(Scope.Thread)
public class Amf0Benchmark {
    private ByteBuf encoded;
    private Amf0EcmaArray metadata;

    @Setup(Level.Trial)
    public void setUp() {
        metadata = new Amf0EcmaArray();
        metadata.put("duration", 0.0);
        metadata.put("width", 1920.0);
        metadata.put("height", 1080.0);
        metadata.put("videodatarate", 6000.0);
        metadata.put("framerate", 30.0);
        metadata.put("videocodecid", 7.0);
        metadata.put("audiodatarate", 160.0);
        metadata.put("audiosamplerate", 48000.0);
        metadata.put("audiosamplesize", 16.0);
        metadata.put("stereo", true);
        metadata.put("audiocodecid", 10.0);
        metadata.put("encoder", "Lavf59.27.100");
        metadata.put("filesize", 0.0);
        encoded = PooledByteBufAllocator.DEFAULT.directBuffer();
        Amf0Writer.writeAll(encoded, "@setDataFrame", "onMetaData", metadata);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encoded.release();
    }

    @Benchmark
    public List<Object> readOnMetaData() {
        return Amf0Reader.readAll(encoded.duplicate());
    }

    @Benchmark
    public int writeOnMetaData() {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(512);
        try {
            Amf0Writer.writeAll(out, "@setDataFrame", "onMetaData", metadata);
            return out.readableBytes();
        } finally {
            out.release();
        }
    }
}
