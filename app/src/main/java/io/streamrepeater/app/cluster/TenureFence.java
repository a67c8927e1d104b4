package io.streamrepeater.app.cluster;

import io.streamrepeater.cluster.LeaseFence;
import io.streamrepeater.relay.WriteFence;

/**
 * The relay's write fence for one tenure of a lease: writing is allowed while this node holds the lease with this
 * epoch and its deadline has not passed on the node's monotonic clock; a later tenure (even of this node) needs a new
 * relay, built for it.
 */
public record TenureFence(LeaseFence lease, long epoch) implements WriteFence {
    @Override
    public boolean mayWrite() {
        return lease.mayWrite(epoch);
    }

    @Override
    public long nanosLeft() {
        return lease.nanosLeft(epoch);
    }
}
