package io.switchboard.turn;

/** A range of UDP ports {@code LO-HI} for relayed addresses ({@code --relay-ports}, default 49152-65535, RFC 6335). */
public record PortRange(int low, int high) {
    public static final PortRange DEFAULT = new PortRange(49152, 65535);

    public PortRange {
        if (low < 1 || high > 65535 || low > high) {
            throw new InvalidOptionException("--relay-ports", low + "-" + high
                    + " is not LO-HI with 1 <= LO <= HI <= 65535");
        }
    }

    /** Parses {@code LO-HI}, naming {@code --relay-ports} in any error. */
    public static PortRange parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        int dash = trimmed.indexOf('-');
        if (dash <= 0 || dash == trimmed.length() - 1) {
            throw new InvalidOptionException("--relay-ports", "'" + trimmed + "' is not LO-HI (e.g. 49152-65535)");
        }
        int low;
        int high;
        try {
            low = Integer.parseInt(trimmed.substring(0, dash).trim());
            high = Integer.parseInt(trimmed.substring(dash + 1).trim());
        } catch (NumberFormatException e) {
            throw new InvalidOptionException("--relay-ports", "'" + trimmed + "' is not LO-HI (e.g. 49152-65535)");
        }
        if (low > high) {
            throw new InvalidOptionException("--relay-ports", trimmed + " is not LO-HI with LO <= HI");
        }
        return new PortRange(low, high);
    }

    public int size() {
        return high - low + 1;
    }

    @Override
    public String toString() {
        return low + "-" + high;
    }
}
