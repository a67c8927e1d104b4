package io.streamrepeater.srt.binding;

/** The {@code SRT_ERRNO} values this module tells apart (srt.h, libsrt 1.5). */
public final class SrtErrors {
    /** The socket was closed while a call (e.g. {@code srt_accept}) was waiting on it. */
    public static final int ESCLOSED = 1005;
    /** The connection was lost: the peer closed it or stopped answering. */
    public static final int ECONNLOST = 2001;
    /** The socket is not connected (any more). */
    public static final int ENOCONN = 2002;
    /** The socket id does not exist (any more). */
    public static final int EINVSOCK = 5004;
    /** A blocking receive found nothing within {@code SRTO_RCVTIMEO}. */
    public static final int EASYNCRCV = 6002;
    /** A blocking call timed out. */
    public static final int ETIMEOUT = 6003;

    private SrtErrors() {}
}
