package io.streamrepeater.cluster;

/**
 * The cluster store could not answer (unreachable, too slow, refused the statement). Lease code treats it as a
 * failed renewal: it never extends a fence.
 */
public final class ClusterStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
