package io.switchboard.stun;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** PASSWORD-ALGORITHMS: the algorithms the server accepts, in its order of preference (RFC 8489 §14.12). */
public record PasswordAlgorithms(List<PasswordAlgorithm> algorithms) implements StunAttribute {
    /** A cap on the list; the registry has two algorithms. */
    public static final int MAX_ALGORITHMS = 32;

    public PasswordAlgorithms {
        algorithms = List.copyOf(algorithms);
        if (algorithms.size() > MAX_ALGORITHMS) {
            throw new IllegalArgumentException("PASSWORD-ALGORITHMS lists at most " + MAX_ALGORITHMS + " algorithms");
        }
    }

    @Override
    public int type() {
        return AttributeType.PASSWORD_ALGORITHMS;
    }

    @Override
    public int valueLength() {
        int length = 0;
        for (PasswordAlgorithm a : algorithms) {
            length += a.entryLength();
        }
        return length;
    }

    @Override
    public void writeValue(ByteBuffer out, TransactionId transactionId) {
        for (PasswordAlgorithm a : algorithms) {
            a.writeEntry(out);
        }
    }

    static PasswordAlgorithms decode(StunReader r) throws StunDecodeException {
        List<PasswordAlgorithm> algorithms = new ArrayList<>();
        while (r.remaining() > 0) {
            if (algorithms.size() == MAX_ALGORITHMS) {
                throw r.error("more than " + MAX_ALGORITHMS + " algorithms");
            }
            algorithms.add(PasswordAlgorithm.readEntry(r));
        }
        return new PasswordAlgorithms(algorithms);
    }
}
