package io.streamrepeater.srt.binding;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * {@code struct sockaddr_in} / {@code sockaddr_in6} (Linux layout) to and from {@link InetSocketAddress}:
 * the family in host byte order, the port and address in network byte order.
 */
public final class NativeSocketAddress {
    /** {@code sizeof(struct sockaddr_storage)}: room for any address {@code srt_accept} writes. */
    public static final int STORAGE_BYTES = 128;

    private static final short AF_INET = 2;
    private static final short AF_INET6 = 10;
    private static final int SOCKADDR_IN_BYTES = 16;
    private static final int SOCKADDR_IN6_BYTES = 28;

    private NativeSocketAddress() {}

    /** A {@code sockaddr} for {@code address}; its {@link Memory#size()} is the length to pass with it. */
    public static Memory of(InetSocketAddress address) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("cannot bind an unresolved address: " + address);
        }
        InetAddress ip = address.getAddress();
        Memory memory;
        if (ip instanceof Inet4Address) {
            memory = new Memory(SOCKADDR_IN_BYTES);
            memory.clear();
            memory.setShort(0, AF_INET);
            memory.write(4, ip.getAddress(), 0, 4);
        } else {
            memory = new Memory(SOCKADDR_IN6_BYTES);
            memory.clear();
            memory.setShort(0, AF_INET6);
            memory.write(8, ip.getAddress(), 0, 16);
            if (ip instanceof Inet6Address v6) {
                memory.setInt(24, v6.getScopeId());
            }
        }
        int port = address.getPort();
        memory.setByte(2, (byte) (port >>> 8));
        memory.setByte(3, (byte) port);
        return memory;
    }

    /**
     * Reads an IPv4 or IPv6 {@code sockaddr}.
     *
     * @return the address, or {@code null} when the pointer is null or the family is neither
     */
    public static InetSocketAddress read(Pointer sockaddr) {
        if (sockaddr == null) {
            return null;
        }
        short family = sockaddr.getShort(0);
        int port = ((sockaddr.getByte(2) & 0xff) << 8) | (sockaddr.getByte(3) & 0xff);
        try {
            if (family == AF_INET) {
                return new InetSocketAddress(InetAddress.getByAddress(sockaddr.getByteArray(4, 4)), port);
            }
            if (family == AF_INET6) {
                return new InetSocketAddress(InetAddress.getByAddress(sockaddr.getByteArray(8, 16)), port);
            }
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("a 4- or 16-byte address is always valid", impossible);
        }
        return null;
    }
}
