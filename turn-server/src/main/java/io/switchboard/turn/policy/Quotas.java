package io.switchboard.turn.policy;

/**
 * Resource limits of the TURN server (RFC 8656 §7.2 step 10 "486 Allocation Quota Reached", §21.1.4 resource
 * exhaustion). Values are validated here; the option names in messages are those of the command line.
 *
 * @param allocationsPerUser          allocations one user may hold at once (486 beyond); TURN REST users count by the
 *                                    part after {@code <expiry>:}
 * @param totalAllocations            allocations the whole server holds at once (508 beyond)
 * @param permissionsPerAllocation    distinct peer IP addresses one allocation may have permissions for (508 beyond)
 * @param bytesPerSecondPerAllocation relayed bytes per second per allocation, both directions together, with a burst
 *                                    of one second; 0 means unlimited. Excess packets are dropped and counted.
 */
public record Quotas(int allocationsPerUser, int totalAllocations, int permissionsPerAllocation,
                     long bytesPerSecondPerAllocation) {
    public static final int DEFAULT_ALLOCATIONS_PER_USER = 64;
    public static final int DEFAULT_TOTAL_ALLOCATIONS = 10_000;
    public static final int DEFAULT_PERMISSIONS_PER_ALLOCATION = 64;
    /** 10 MiB/s, about 84 Mbit/s: far above a browser call, low enough to stop one allocation flooding a link. */
    public static final long DEFAULT_BYTES_PER_SECOND_PER_ALLOCATION = 10L * 1024 * 1024;

    public static final Quotas DEFAULTS = new Quotas(DEFAULT_ALLOCATIONS_PER_USER, DEFAULT_TOTAL_ALLOCATIONS,
            DEFAULT_PERMISSIONS_PER_ALLOCATION, DEFAULT_BYTES_PER_SECOND_PER_ALLOCATION);

    public Quotas {
        if (allocationsPerUser < 1) {
            throw new IllegalArgumentException("--user-quota: must be at least 1, got " + allocationsPerUser);
        }
        if (totalAllocations < 1) {
            throw new IllegalArgumentException("--total-quota: must be at least 1, got " + totalAllocations);
        }
        if (permissionsPerAllocation < 1) {
            throw new IllegalArgumentException("--permission-quota: must be at least 1, got " + permissionsPerAllocation);
        }
        if (bytesPerSecondPerAllocation < 0) {
            throw new IllegalArgumentException("--max-bps: must be 0 (unlimited) or more, got " + bytesPerSecondPerAllocation);
        }
    }

    public Quotas withAllocationsPerUser(int value) {
        return new Quotas(value, totalAllocations, permissionsPerAllocation, bytesPerSecondPerAllocation);
    }

    public Quotas withTotalAllocations(int value) {
        return new Quotas(allocationsPerUser, value, permissionsPerAllocation, bytesPerSecondPerAllocation);
    }

    public Quotas withPermissionsPerAllocation(int value) {
        return new Quotas(allocationsPerUser, totalAllocations, value, bytesPerSecondPerAllocation);
    }

    public Quotas withBytesPerSecondPerAllocation(long value) {
        return new Quotas(allocationsPerUser, totalAllocations, permissionsPerAllocation, value);
    }
}
