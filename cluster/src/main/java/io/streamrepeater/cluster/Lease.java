package io.streamrepeater.cluster;

/**
 * A channel's lease as the store holds it.
 *
 * @param channel the channel's name
 * @param owner the node that holds (or last held) it
 * @param epoch the fencing epoch: grows by one at every new tenure, never goes back
 * @param remainingMs time left before it expires, by the database's clock; 0 once expired or released
 */
public record Lease(String channel, String owner, long epoch, long remainingMs) {
    /** @return true while the lease has not expired (at the moment the store answered) */
    public boolean held() {
        return remainingMs > 0;
    }
}
