package io.switchboard.turn.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.stun.AttributeType;
import io.switchboard.stun.StunMessage;
import io.switchboard.stun.StunMethod;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a Data indication (RFC 8656 §11.4: XOR-PEER-ADDRESS and DATA) straight into one pooled buffer, for the relay's
 * hot path: no message object, no intermediate array. The transaction id comes from a fast non-cryptographic random
 * source, which suffices for an indication nobody answers.
 */
final class DataIndications {
    static final int TYPE = StunMethod.DATA.indication().code();

    private DataIndications() {
    }

    /** The header length in front of the data: message header, XOR-PEER-ADDRESS, DATA attribute header. */
    static int headerLength(InetSocketAddress peer) {
        return StunMessage.HEADER_LENGTH + 4 + (peer.getAddress() instanceof Inet4Address ? 8 : 20) + 4;
    }

    /** The indication carrying {@code data}'s readable bytes from {@code peer}; {@code data} is left as it is. */
    static ByteBuf encode(ByteBufAllocator alloc, InetSocketAddress peer, ByteBuf data) {
        int length = data.readableBytes();
        int padding = (4 - (length & 3)) & 3;
        ByteBuf out = alloc.ioBuffer(headerLength(peer) + length + padding);
        writeHeader(out, peer, length);
        out.writeBytes(data, data.readerIndex(), length);
        out.writeZero(padding);
        return out;
    }

    /**
     * Writes header and padding around {@code length} data bytes already at {@code dataIndex} of {@code buffer}, which
     * must have {@link #headerLength} bytes before them and 3 after; returns {@code buffer}, retained, around the message.
     */
    static ByteBuf wrapInPlace(ByteBuf buffer, int dataIndex, int length, InetSocketAddress peer) {
        int padding = (4 - (length & 3)) & 3;
        int start = dataIndex - headerLength(peer);
        int writerIndex = buffer.writerIndex();
        buffer.writerIndex(start);
        writeHeader(buffer, peer, length);
        buffer.setZero(dataIndex + length, padding);
        buffer.writerIndex(writerIndex);
        return buffer.retain().setIndex(start, dataIndex + length + padding);
    }

    private static void writeHeader(ByteBuf out, InetSocketAddress peer, int length) {
        InetAddress ip = peer.getAddress();
        boolean v4 = ip instanceof Inet4Address;
        int addressLength = v4 ? 8 : 20;
        int padding = (4 - (length & 3)) & 3;
        int body = 4 + addressLength + 4 + length + padding;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long id1 = random.nextLong();
        int id2 = random.nextInt();
        out.writeShort(TYPE);
        out.writeShort(body);
        out.writeInt(StunMessage.MAGIC_COOKIE);
        out.writeLong(id1);
        out.writeInt(id2);
        out.writeShort(AttributeType.XOR_PEER_ADDRESS);
        out.writeShort(addressLength);
        out.writeByte(0);
        out.writeByte(v4 ? 0x01 : 0x02);
        out.writeShort(peer.getPort() ^ (StunMessage.MAGIC_COOKIE >>> 16));
        if (v4) {
            // Inet4Address.hashCode() is its address as an int: no array copy per packet.
            out.writeInt(ip.hashCode() ^ StunMessage.MAGIC_COOKIE);
        } else {
            byte[] address = ip.getAddress();
            out.writeInt(toInt(address, 0) ^ StunMessage.MAGIC_COOKIE);
            out.writeLong(toLong(address, 4) ^ id1);
            out.writeInt(toInt(address, 12) ^ id2);
        }
        out.writeShort(AttributeType.DATA);
        out.writeShort(length);
    }

    private static int toInt(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16) | ((b[offset + 2] & 0xFF) << 8)
                | (b[offset + 3] & 0xFF);
    }

    private static long toLong(byte[] b, int offset) {
        return ((long) toInt(b, offset) << 32) | (toInt(b, offset + 4) & 0xFFFF_FFFFL);
    }
}
