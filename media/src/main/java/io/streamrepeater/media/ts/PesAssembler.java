package io.streamrepeater.media.ts;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Assembles the PES packets of one PID from transport stream packets, checking the continuity
 * counter. A PES packet is complete when the next one starts (payload_unit_start_indicator), when
 * its declared PES_packet_length is reached, or at the end of the stream ({@link #flush()}).
 *
 * <p>Loss: when the counter skips (and the adaptation field does not announce a discontinuity), the
 * PES packet being assembled is dropped, never delivered with a hole, and nothing more is taken
 * until the next packet that starts a PES. A packet repeating the previous counter is a permitted
 * duplicate and ignored.
 *
 * <p>Ownership: the assembly buffer belongs to this object; {@link #close()} releases it.
 */
final class PesAssembler implements AutoCloseable {
    private static final int INITIAL_CAPACITY = 4096;

    /** Receives the complete PES packets of one PID. */
    interface PesSink {
        /**
         * @param payload the elementary stream bytes of one PES packet (readable bytes); not retained,
         *     valid only during the call: the sink copies what it keeps and never releases it
         */
        void pes(PesHeader header, ByteBuf payload);

        /** Packets were lost or damaged on this PID: the next delivered PES does not follow the last one. */
        void lost();
    }

    private final int pid;
    private final ByteBufAllocator alloc;
    private final int maxPesBytes;
    private final TsCounters counters;
    private final PesSink sink;
    private ByteBuf pending;
    private int lastCounter = -1;

    PesAssembler(int pid, ByteBufAllocator alloc, int maxPesBytes, TsCounters counters, PesSink sink) {
        this.pid = pid;
        this.alloc = alloc;
        this.maxPesBytes = maxPesBytes;
        this.counters = counters;
        this.sink = sink;
    }

    /**
     * @param buf holds the packet described by {@code header}; read with absolute getters, not retained
     * @throws TsDemuxException when a PES packet grows beyond {@code maxPesBytes}
     */
    void accept(TsPacketHeader header, ByteBuf buf) {
        if (header.transportError()) {
            counters.transportErrors++;
            dropPending();
            return;
        }
        if (!header.hasPayload()) {
            return; // the counter does not advance on packets without payload
        }
        int counter = header.continuityCounter();
        if (lastCounter >= 0 && !header.discontinuity()) {
            if (counter == lastCounter) {
                return; // a duplicate packet, allowed once by §2.4.3.3
            }
            if (counter != ((lastCounter + 1) & 0x0F)) {
                counters.continuityErrors++;
                dropPending();
            }
        }
        lastCounter = counter;
        if (header.payloadUnitStart()) {
            deliverPending();
            pending = alloc.buffer(Math.min(INITIAL_CAPACITY, maxPesBytes), maxPesBytes);
        } else if (pending == null) {
            return; // the start of this PES was lost: wait for the next one
        }
        if (pending.writableBytes() < header.payloadLength() && pending.maxWritableBytes() < header.payloadLength()) {
            int size = pending.readableBytes() + header.payloadLength();
            pending.release();
            pending = null;
            sink.lost();
            throw new TsDemuxException("PES packet on PID " + pid + " grows to " + size
                    + " bytes, more than maxPesBytes=" + maxPesBytes + ": the sender's frames are larger than this"
                    + " demuxer allows, or the stream is not MPEG-TS");
        }
        pending.writeBytes(buf, header.payloadOffset(), header.payloadLength());
        if (pending.readableBytes() >= PesHeader.FIXED_BYTES) {
            int declared = pending.getUnsignedShort(pending.readerIndex() + 4);
            if (declared != 0 && pending.readableBytes() >= PesHeader.FIXED_BYTES + declared) {
                deliverPending();
            }
        }
    }

    /** Delivers the PES packet in progress as complete: the stream has ended. */
    void flush() {
        deliverPending();
    }

    private void deliverPending() {
        ByteBuf pes = pending;
        if (pes == null) {
            return;
        }
        pending = null;
        try {
            PesHeader header = PesHeader.read(pes);
            if (header == null) {
                counters.malformedPes++;
                sink.lost();
                return;
            }
            sink.pes(header, pes);
        } finally {
            pes.release();
        }
    }

    private void dropPending() {
        if (pending != null) {
            pending.release();
            pending = null;
            counters.pesDropped++;
        }
        sink.lost();
    }

    @Override
    public void close() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}
