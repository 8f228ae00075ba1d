package io.switchboard.signaling.session;

/**
 * Whether a server still admits joins. A draining server refuses them with {@code draining} so that clients go to
 * another node; the switch turns only one way.
 */
public final class Admission {
    private volatile boolean draining;

    /** From now on every join, fresh or resumed, is refused. */
    public void startDraining() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }
}
