package io.switchboard.client.signaling;

/**
 * Receives the events of one {@link SignalingClient}. Calls never overlap and come in the order the server sent;
 * they run on the client's network thread, so a listener must return quickly (hand work off, or use
 * {@link SignalingEventQueue}).
 */
@FunctionalInterface
public interface SignalingListener {
    void onEvent(SignalingEvent event);
}
