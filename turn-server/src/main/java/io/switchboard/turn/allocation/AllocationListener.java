package io.switchboard.turn.allocation;

/** Told when allocations start and end: for the one log line each and for metrics. */
public interface AllocationListener {
    AllocationListener NONE = new AllocationListener() {
    };

    default void started(Allocation allocation) {
    }

    default void ended(Allocation allocation, CloseReason reason) {
    }
}
