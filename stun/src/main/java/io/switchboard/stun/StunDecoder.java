package io.switchboard.stun;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes one whole STUN message (a datagram, or a frame cut by {@link StunStreamFramer}) with limits fixed at
 * construction. Every failure is a {@link StunDecodeException} saying where and what; nothing else escapes.
 *
 * <p>Checks, in order (RFC 8489 §6.3): at least 20 bytes; the two top bits zero; the length field a multiple of 4 and
 * equal to what follows the header; the magic cookie, or else a plausible RFC 3489 header; each attribute's length and
 * padding within the message; at most {@code maxAttributes} attributes; each known attribute's value.
 */
public final class StunDecoder {
    /** Generous for real traffic (a browser's ICE check carries about ten) while bounding the work per datagram. */
    public static final int DEFAULT_MAX_ATTRIBUTES = 128;
    public static final StunDecoder DEFAULT = new StunDecoder(DEFAULT_MAX_ATTRIBUTES, true);

    private final int maxAttributes;
    private final boolean acceptClassic;

    /**
     * @param maxAttributes the most attributes one message may carry, ignored ones included
     * @param acceptClassic whether RFC 3489 messages (no magic cookie) decode; otherwise a wrong cookie is an error
     */
    public StunDecoder(int maxAttributes, boolean acceptClassic) {
        if (maxAttributes < 1) {
            throw new IllegalArgumentException("maxAttributes must be at least 1, got " + maxAttributes);
        }
        this.maxAttributes = maxAttributes;
        this.acceptClassic = acceptClassic;
    }

    public StunMessage decode(byte[] data) throws StunDecodeException {
        return decode(data, 0, data.length);
    }

    /** Decodes the buffer's remaining bytes as one message and advances its position past them. */
    public StunMessage decode(ByteBuffer buffer) throws StunDecodeException {
        int length = buffer.remaining();
        StunMessage message;
        if (buffer.hasArray()) {
            message = decode(buffer.array(), buffer.arrayOffset() + buffer.position(), length);
        } else {
            byte[] copy = new byte[length];
            buffer.duplicate().get(copy);
            message = decode(copy, 0, length);
        }
        buffer.position(buffer.position() + length);
        return message;
    }

    public StunMessage decode(byte[] data, int offset, int length) throws StunDecodeException {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new StunDecodeException("message: offset " + offset + " and length " + length
                    + " outside a buffer of " + data.length + " bytes");
        }
        if (length < StunMessage.HEADER_LENGTH) {
            throw new StunDecodeException("incomplete header: " + length + " bytes (expected: 20+ bytes)");
        }
        int typeCode = Bytes.getShort(data, offset);
        if ((typeCode & 0xC000) != 0) {
            throw new StunDecodeException(String.format("not STUN: the first two bits must be 0, first byte is 0x%02x",
                    typeCode >>> 8));
        }
        int bodyLength = Bytes.getShort(data, offset + 2);
        if (bodyLength % 4 != 0) {
            throw new StunDecodeException("message length " + bodyLength + " is not a multiple of 4");
        }
        if (bodyLength != length - StunMessage.HEADER_LENGTH) {
            throw new StunDecodeException("message length field says " + bodyLength + " bytes but "
                    + (length - StunMessage.HEADER_LENGTH) + " follow the header");
        }
        MessageType type = MessageType.fromCode(typeCode);
        int cookie = Bytes.getInt(data, offset + 4);
        TransactionId id;
        if (cookie == StunMessage.MAGIC_COOKIE) {
            id = TransactionId.wrap(Arrays.copyOfRange(data, offset + 8, offset + StunMessage.HEADER_LENGTH));
        } else if (acceptClassic && isClassicType(typeCode)) {
            id = TransactionId.wrap(Arrays.copyOfRange(data, offset + 4, offset + StunMessage.HEADER_LENGTH));
        } else {
            throw new StunDecodeException(String.format("wrong magic cookie 0x%08x (expected 0x2112a442%s)", cookie,
                    acceptClassic ? ", and type 0x" + String.format("%04x", typeCode) + " is no RFC 3489 message" : ""));
        }
        byte[] raw = Arrays.copyOfRange(data, offset, offset + length);
        try {
            return decodeAttributes(type, id, raw);
        } catch (StunDecodeException e) {
            throw e.inMessage(type, id);
        }
    }

    private StunMessage decodeAttributes(MessageType type, TransactionId id, byte[] raw) throws StunDecodeException {
        List<StunAttribute> attributes = new ArrayList<>();
        int[] offsets = new int[Math.min(maxAttributes, raw.length / 4)];
        int count = 0;
        boolean afterIntegrity = false;
        boolean afterIntegritySha256 = false;
        boolean afterFingerprint = false;
        int position = StunMessage.HEADER_LENGTH;
        while (position < raw.length) {
            if (count == maxAttributes) {
                throw new StunDecodeException("more than " + maxAttributes + " attributes");
            }
            count++;
            // The body length is a multiple of 4 and every attribute ends padded, so 4 header bytes are always here.
            int attributeType = Bytes.getShort(raw, position);
            int valueLength = Bytes.getShort(raw, position + 2);
            int left = raw.length - position - 4;
            String name = AttributeType.name(attributeType);
            if (valueLength > left) {
                throw new StunDecodeException("attribute " + name + ": length " + valueLength + " overruns the message ("
                        + left + " bytes left)");
            }
            // The padding then fits too: both "left" and the padded length are multiples of 4. An unpadded last
            // attribute shows up earlier, as a body length that is not a multiple of 4.
            boolean ignored = afterFingerprint
                    || (afterIntegritySha256 && attributeType != AttributeType.FINGERPRINT)
                    || (afterIntegrity && attributeType != AttributeType.FINGERPRINT
                        && attributeType != AttributeType.MESSAGE_INTEGRITY_SHA256);
            if (!ignored) {
                StunReader value = new StunReader(raw, position + 4, valueLength, "attribute " + name);
                offsets[attributes.size()] = position;
                attributes.add(AttributeDecoder.decode(attributeType, value, id));
                afterIntegrity |= attributeType == AttributeType.MESSAGE_INTEGRITY;
                afterIntegritySha256 |= attributeType == AttributeType.MESSAGE_INTEGRITY_SHA256;
                afterFingerprint |= attributeType == AttributeType.FINGERPRINT;
            }
            position += 4 + Bytes.padded(valueLength);
        }
        return new StunMessage(type, id, attributes, raw, Arrays.copyOf(offsets, attributes.size()));
    }

    /** The six message types RFC 3489 defined: Binding and Shared Secret requests and responses. */
    static boolean isClassicType(int typeCode) {
        switch (typeCode) {
            case 0x0001: case 0x0101: case 0x0111:
            case 0x0002: case 0x0102: case 0x0112:
                return true;
            default:
                return false;
        }
    }
}
