package io.streamrepeater.media;

import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * The latest stream metadata, video sequence header and audio sequence header of one stream: what a
 * destination must receive before any frame, and again whenever it changes.
 *
 * <p>Ownership: this object holds one reference to each packet it keeps and releases it when the
 * packet is replaced or on {@link #close()}. Not thread-safe: use it from the stream's event loop.
 */
public final class CodecHeaders implements AutoCloseable {
    private MediaPacket metadata;
    private MediaPacket videoHeader;
    private MediaPacket audioHeader;

    /**
     * Keeps {@code packet} if it is a sequence header or metadata, replacing the one held before.
     *
     * @param packet any packet; the caller keeps ownership (this takes its own retained duplicate)
     * @return true when {@code packet} was kept and its bytes differ from the packet it replaced
     *     (or nothing was held before); false when it was ignored or identical
     */
    public boolean update(MediaPacket packet) {
        if (packet.metadata()) {
            MediaPacket previous = metadata;
            metadata = packet.retainedDuplicate();
            return releaseAndCompare(previous, metadata);
        }
        if (!packet.sequenceHeader()) {
            return false;
        }
        if (packet.kind() == MediaKind.VIDEO) {
            MediaPacket previous = videoHeader;
            videoHeader = packet.retainedDuplicate();
            return releaseAndCompare(previous, videoHeader);
        }
        MediaPacket previous = audioHeader;
        audioHeader = packet.retainedDuplicate();
        return releaseAndCompare(previous, audioHeader);
    }

    private static boolean releaseAndCompare(MediaPacket previous, MediaPacket current) {
        if (previous == null) {
            return true;
        }
        try {
            return !ByteBufUtil.equals(previous.content(), current.content());
        } finally {
            previous.release();
        }
    }

    /** The held metadata packet, or null. Not retained: this object still owns it. */
    public MediaPacket metadata() {
        return metadata;
    }

    /** The held video sequence header, or null. Not retained: this object still owns it. */
    public MediaPacket videoHeader() {
        return videoHeader;
    }

    /** The held audio sequence header, or null. Not retained: this object still owns it. */
    public MediaPacket audioHeader() {
        return audioHeader;
    }

    /**
     * Everything held, in the order a destination should receive it: metadata, video header, audio
     * header (absent ones are skipped).
     *
     * @return retained duplicates that the caller owns and must release
     */
    public List<MediaPacket> retainedAll() {
        List<MediaPacket> all = new ArrayList<>(3);
        for (MediaPacket held : new MediaPacket[] {metadata, videoHeader, audioHeader}) {
            if (held != null) {
                all.add(held.retainedDuplicate());
            }
        }
        return all;
    }

    /** Releases every held packet; the object is empty afterwards and may be reused. */
    @Override
    public void close() {
        for (MediaPacket held : new MediaPacket[] {metadata, videoHeader, audioHeader}) {
            if (held != null) {
                held.release();
            }
        }
        metadata = null;
        videoHeader = null;
        audioHeader = null;
    }
}
