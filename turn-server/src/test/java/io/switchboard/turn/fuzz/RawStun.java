package io.switchboard.turn.fuzz;

import io.switchboard.stun.AttributeType;
import io.switchboard.stun.StunMessage;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes STUN messages byte by byte, without the stun module's encoder, so that attribute values can be anything
 * (truncated, oversized, inconsistent) while MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are still
 * computed correctly (RFC 8489 §14.5, §14.6, §14.7): a malformed request can get past authentication.
 */
public final class RawStun {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final int type;
    private final byte[] transactionId;

    public RawStun(int type, byte[] transactionId) {
        if (transactionId.length != 12) {
            throw new IllegalArgumentException("transaction id must be 12 bytes, got " + transactionId.length);
        }
        this.type = type & 0x3FFF;
        this.transactionId = transactionId.clone();
    }

    public byte[] transactionId() {
        return transactionId.clone();
    }

    /** Appends an attribute with its value and zero padding to 4 bytes. */
    public RawStun attribute(int attributeType, byte[] value) {
        int length = Math.min(value.length, 0xFFFF);
        body.write(attributeType >>> 8);
        body.write(attributeType);
        body.write(length >>> 8);
        body.write(length);
        body.write(value, 0, length);
        for (int i = length; (i & 3) != 0; i++) {
            body.write(0);
        }
        return this;
    }

    /** Appends bytes as they are: a broken attribute header, trailing garbage. */
    public RawStun raw(byte[] bytes) {
        body.write(bytes, 0, bytes.length);
        return this;
    }

    public RawStun attribute(int attributeType, String utf8) {
        return attribute(attributeType, utf8.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** An XOR-PEER-ADDRESS (or any XOR address attribute) for {@code address}, XORed with this transaction id. */
    public RawStun xorAddress(int attributeType, InetSocketAddress address) {
        return attribute(attributeType, xorAddressValue(address, transactionId));
    }

    /** Appends MESSAGE-INTEGRITY computed over everything so far (RFC 8489 §14.5). */
    public RawStun messageIntegrity(byte[] key) {
        return integrity(AttributeType.MESSAGE_INTEGRITY, "HmacSHA1", 20, key);
    }

    /** Appends MESSAGE-INTEGRITY-SHA256 computed over everything so far (RFC 8489 §14.6). */
    public RawStun messageIntegritySha256(byte[] key) {
        return integrity(AttributeType.MESSAGE_INTEGRITY_SHA256, "HmacSHA256", 32, key);
    }

    /** Appends FINGERPRINT computed over everything so far (RFC 8489 §14.7). */
    public RawStun fingerprint() {
        byte[] prefix = bytes(body.size() + 8);
        CRC32 crc = new CRC32();
        crc.update(prefix);
        int value = (int) crc.getValue() ^ 0x5354554e;
        return attribute(AttributeType.FINGERPRINT, ByteBuffer.allocate(4).putInt(value).array());
    }

    /** The message; its length field counts whatever was appended, even when that is not a multiple of 4. */
    public byte[] bytes() {
        return bytes(body.size());
    }

    private byte[] bytes(int lengthField) {
        byte[] content = body.toByteArray();
        ByteBuffer out = ByteBuffer.allocate(StunMessage.HEADER_LENGTH + content.length);
        out.putShort((short) type).putShort((short) lengthField).putInt(StunMessage.MAGIC_COOKIE).put(transactionId)
                .put(content);
        return out.array();
    }

    private RawStun integrity(int attributeType, String algorithm, int size, byte[] key) {
        byte[] prefix = bytes(body.size() + 4 + size);
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return attribute(attributeType, Arrays.copyOf(mac.doFinal(prefix), size));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value of an XOR address attribute (RFC 8489 §14.2) for {@code address}. */
    public static byte[] xorAddressValue(InetSocketAddress address, byte[] transactionId) {
        byte[] ip = address.getAddress().getAddress();
        ByteBuffer out = ByteBuffer.allocate(4 + ip.length);
        out.put((byte) 0).put((byte) (ip.length == 4 ? 1 : 2))
                .putShort((short) (address.getPort() ^ (StunMessage.MAGIC_COOKIE >>> 16)));
        byte[] mask = ByteBuffer.allocate(16).putInt(StunMessage.MAGIC_COOKIE).put(transactionId).array();
        for (int i = 0; i < ip.length; i++) {
            out.put((byte) (ip[i] ^ mask[i]));
        }
        return out.array();
    }
}
