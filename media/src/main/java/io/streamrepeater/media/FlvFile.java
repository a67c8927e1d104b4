package io.streamrepeater.media;

import java.util.List;

/**
 * The media of one FLV file, read whole by {@link FlvFileReader}: its packets in file order and what
 * the reader noticed on the way.
 *
 * <p>Ownership: this object owns every packet in {@link #packets()}; {@link #close()} releases them
 * all. A caller that keeps or sends a packet takes a {@link MediaPacket#retainedDuplicate()} and
 * releases that duplicate itself; it never releases a packet of the list. Not thread-safe: read it
 * on the thread that plays it out, or hand it over as a whole.
 */
public final class FlvFile implements AutoCloseable {
    private final String source;
    private final List<MediaPacket> packets;
    private final int previousTagSizeMismatches;
    private final int unknownTagsSkipped;
    private final long durationMs;
    private final boolean hasVideoKeyframe;
    private boolean closed;

    /**
     * @param packets in file order; ownership of every packet passes to this object
     */
    FlvFile(String source, List<MediaPacket> packets, int previousTagSizeMismatches, int unknownTagsSkipped) {
        this.source = source;
        this.packets = List.copyOf(packets);
        this.previousTagSizeMismatches = previousTagSizeMismatches;
        this.unknownTagsSkipped = unknownTagsSkipped;
        this.durationMs = MediaDuration.of(this.packets);
        this.hasVideoKeyframe = this.packets.stream().anyMatch(MediaPacket::isVideoKeyframe);
    }

    /** The file this was read from, as given to the reader (for messages and logs). */
    public String source() {
        return source;
    }

    /**
     * Audio, video and script-data packets in file order; an {@code onMetaData} script tag appears in
     * the {@code @setDataFrame} form an encoder publishes.
     *
     * @return an unmodifiable list of packets that this object still owns: take
     *     {@link MediaPacket#retainedDuplicate()}s and release those, never the listed packets
     * @throws IllegalStateException after {@link #close()}
     */
    public List<MediaPacket> packets() {
        if (closed) {
            throw new IllegalStateException("FLV file " + source + " is closed: its packets were released");
        }
        return packets;
    }

    /**
     * How long one pass over the file lasts when played in real time, i.e. by how much a loop shifts
     * the timestamps of the next pass: for each of audio and video, its last DTS minus its first plus
     * one frame (the median of its positive DTS steps), and the longer of the two. Script data and
     * sequence headers do not count; 0 when the file has no audio or video frames.
     */
    public long durationMs() {
        return durationMs;
    }

    /** True when at least one video packet is a keyframe, i.e. a decoder can start somewhere in the file. */
    public boolean hasVideoKeyframe() {
        return hasVideoKeyframe;
    }

    /**
     * How many PreviousTagSize fields did not equal the size of the tag before them (11 + data size;
     * 0 for the first). Such files still play; the count tells that the file was written by something
     * careless or edited by hand.
     */
    public int previousTagSizeMismatches() {
        return previousTagSizeMismatches;
    }

    /** How many tags of a type other than audio (8), video (9) and script data (18) were skipped. */
    public int unknownTagsSkipped() {
        return unknownTagsSkipped;
    }

    /** Releases every packet; later calls do nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (MediaPacket packet : packets) {
            packet.release();
        }
    }

    @Override
    public String toString() {
        return "FlvFile{" + source + ", packets=" + packets.size() + ", durationMs=" + durationMs
                + ", keyframe=" + hasVideoKeyframe + ", previousTagSizeMismatches=" + previousTagSizeMismatches
                + ", unknownTagsSkipped=" + unknownTagsSkipped + (closed ? ", closed" : "") + '}';
    }
}
