package io.switchboard.turn.server;

import io.netty.buffer.ByteBuf;
import io.switchboard.stun.AttributeType;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMethod;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Reads a Send indication (RFC 8656 §10.2) in place on the received buffer, for the relay's hot path: checks the
 * header and every attribute's bounds, finds XOR-PEER-ADDRESS and DATA, and refuses unknown comprehension-required
 * attributes (the indication is then dropped, RFC 8489 §6.3.2). The peer address of the last indication is kept, so a
 * client sending to one peer costs no address object per packet. One reader per event-loop handler: not thread-safe.
 */
final class SendIndicationReader {
    static final int TYPE = StunMethod.SEND.indication().code();

    private int dataIndex;
    private int dataLength;
    private InetSocketAddress peer;

    private int cachedFamily;
    private int cachedPort = -1;
    private long cachedHigh;
    private long cachedLow;
    private InetSocketAddress cachedPeer;

    /** Whether the buffer holds a Send indication: message type only, nothing else checked. */
    static boolean isSendIndication(ByteBuf buf) {
        return buf.readableBytes() >= 2 && buf.getUnsignedShort(buf.readerIndex()) == TYPE;
    }

    /**
     * Parses the whole readable region as one Send indication; false when it is malformed, lacks XOR-PEER-ADDRESS or
     * DATA, or carries an unknown comprehension-required attribute.
     */
    boolean read(ByteBuf buf) {
        int start = buf.readerIndex();
        int total = buf.readableBytes();
        if (total < StunMessage.HEADER_LENGTH || buf.getUnsignedShort(start) != TYPE
                || buf.getInt(start + 4) != StunMessage.MAGIC_COOKIE) {
            return false;
        }
        int bodyLength = buf.getUnsignedShort(start + 2);
        if ((bodyLength & 3) != 0 || bodyLength != total - StunMessage.HEADER_LENGTH) {
            return false;
        }
        int end = start + total;
        int position = start + StunMessage.HEADER_LENGTH;
        int peerIndex = -1;
        int peerLength = 0;
        dataIndex = -1;
        boolean ignoreRest = false;
        while (position < end) {
            if (end - position < 4) {
                return false;
            }
            int type = buf.getUnsignedShort(position);
            int length = buf.getUnsignedShort(position + 2);
            int value = position + 4;
            if (length > end - value) {
                return false;
            }
            if (!ignoreRest) {
                switch (type) {
                    case AttributeType.XOR_PEER_ADDRESS:
                        if (peerIndex < 0) {
                            peerIndex = value;
                            peerLength = length;
                        }
                        break;
                    case AttributeType.DATA:
                        if (dataIndex < 0) {
                            dataIndex = value;
                            dataLength = length;
                        }
                        break;
                    case AttributeType.MESSAGE_INTEGRITY:
                    case AttributeType.MESSAGE_INTEGRITY_SHA256:
                    case AttributeType.FINGERPRINT:
                        // Indications are not authenticated (RFC 8656 §10.2); what follows these is ignored (RFC 8489 §14).
                        ignoreRest = true;
                        break;
                    case AttributeType.DONT_FRAGMENT:
                        break;
                    default:
                        if (AttributeType.isComprehensionRequired(type)) {
                            return false;
                        }
                }
            }
            position = value + ((length + 3) & ~3);
        }
        if (position != end || peerIndex < 0 || dataIndex < 0) {
            return false;
        }
        return readPeer(buf, start, peerIndex, peerLength);
    }

    private boolean readPeer(ByteBuf buf, int start, int index, int length) {
        // The length first: an attribute shorter than an address (an empty one at the end of the datagram) must not be
        // read at all (found by TurnDatagramFuzzTest).
        if (length != 8 && length != 20) {
            return false;
        }
        int family = buf.getUnsignedByte(index + 1);
        int port = buf.getUnsignedShort(index + 2) ^ (StunMessage.MAGIC_COOKIE >>> 16);
        long high;
        long low;
        if (family == 0x01 && length == 8) {
            high = 0;
            low = (buf.getInt(index + 4) ^ StunMessage.MAGIC_COOKIE) & 0xFFFF_FFFFL;
        } else if (family == 0x02 && length == 20) {
            long key = ((long) StunMessage.MAGIC_COOKIE << 32) | (buf.getInt(start + 8) & 0xFFFF_FFFFL);
            high = buf.getLong(index + 4) ^ key;
            low = buf.getLong(index + 12) ^ buf.getLong(start + 12);
        } else {
            return false;
        }
        if (cachedPeer == null || family != cachedFamily || port != cachedPort || high != cachedHigh || low != cachedLow) {
            cachedPeer = new InetSocketAddress(address(family, high, low), port);
            cachedFamily = family;
            cachedPort = port;
            cachedHigh = high;
            cachedLow = low;
        }
        peer = cachedPeer;
        return true;
    }

    private static InetAddress address(int family, long high, long low) {
        byte[] ip = new byte[family == 0x01 ? 4 : 16];
        if (family == 0x01) {
            for (int i = 0; i < 4; i++) {
                ip[i] = (byte) (low >>> (24 - 8 * i));
            }
        } else {
            for (int i = 0; i < 8; i++) {
                ip[i] = (byte) (high >>> (56 - 8 * i));
                ip[8 + i] = (byte) (low >>> (56 - 8 * i));
            }
        }
        try {
            // 16 bytes stay an Inet6Address even when IPv4-mapped, like the stun module's decoder.
            return family == 0x01 ? InetAddress.getByAddress(ip) : java.net.Inet6Address.getByAddress(null, ip, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    InetSocketAddress peer() {
        return peer;
    }

    int dataIndex() {
        return dataIndex;
    }

    int dataLength() {
        return dataLength;
    }
}
