package io.switchboard.stun;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * PASSWORD-ALGORITHM: the algorithm the client chose for its long-term key (RFC 8489 §14.11); also one entry of
 * {@link PasswordAlgorithms}. Parameters are padded to a 4-byte boundary.
 */
public record PasswordAlgorithm(int algorithm, byte[] parameters) implements StunAttribute {
    /** Key = MD5(username ":" realm ":" password) (RFC 8489 §18.5). */
    public static final int MD5 = 0x0001;
    /** Key = SHA-256(username ":" realm ":" password) (RFC 8489 §18.5). */
    public static final int SHA256 = 0x0002;
    /** A cap on the parameters of one algorithm; MD5 and SHA-256 have none. */
    public static final int MAX_PARAMETERS_LENGTH = 256;

    public static final PasswordAlgorithm MD5_ALGORITHM = new PasswordAlgorithm(MD5, new byte[0]);
    public static final PasswordAlgorithm SHA256_ALGORITHM = new PasswordAlgorithm(SHA256, new byte[0]);

    public PasswordAlgorithm {
        if (algorithm < 0 || algorithm > 0xFFFF) {
            throw new IllegalArgumentException("password algorithm must be 16 bits, got " + algorithm);
        }
        if (parameters == null || parameters.length > MAX_PARAMETERS_LENGTH) {
            throw new IllegalArgumentException("password algorithm parameters must be 0-" + MAX_PARAMETERS_LENGTH + " bytes");
        }
        parameters = parameters.clone();
    }

    @Override
    public byte[] parameters() {
        return parameters.clone();
    }

    @Override
    public int type() {
        return AttributeType.PASSWORD_ALGORITHM;
    }

    @Override
    public int valueLength() {
        return entryLength();
    }

    int entryLength() {
        return 4 + Bytes.padded(parameters.length);
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        writeEntry(out);
    }

    void writeEntry(ByteBuffer out) {
        out.putShort((short) algorithm);
        out.putShort((short) parameters.length);
        out.put(parameters);
        for (int i = parameters.length; i < Bytes.padded(parameters.length); i++) {
            out.put((byte) 0);
        }
    }

    static PasswordAlgorithm decode(StunReader r) throws StunDecodeException {
        PasswordAlgorithm algorithm = readEntry(r);
        if (r.remaining() > 0) {
            throw r.error(r.remaining() + " bytes after the parameters");
        }
        return algorithm;
    }

    static PasswordAlgorithm readEntry(StunReader r) throws StunDecodeException {
        int algorithm = r.u16();
        int length = r.u16();
        if (length > MAX_PARAMETERS_LENGTH) {
            throw r.error("parameters of " + length + " bytes, at most " + MAX_PARAMETERS_LENGTH + " allowed");
        }
        byte[] parameters = r.bytes(length);
        int padding = Math.min(Bytes.padded(length) - length, r.remaining());
        r.skip(padding);
        return new PasswordAlgorithm(algorithm, parameters);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordAlgorithm && algorithm == ((PasswordAlgorithm) o).algorithm
                && Arrays.equals(parameters, ((PasswordAlgorithm) o).parameters);
    }

    @Override
    public int hashCode() {
        return 31 * algorithm + Arrays.hashCode(parameters);
    }

    @Override
    public String toString() {
        String name = algorithm == MD5 ? "MD5" : algorithm == SHA256 ? "SHA-256" : String.format("0x%04X", algorithm);
        return "PasswordAlgorithm[" + name + (parameters.length == 0 ? "" : ", " + Bytes.hex(parameters)) + "]";
    }
}
