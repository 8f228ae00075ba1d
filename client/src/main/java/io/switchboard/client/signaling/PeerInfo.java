package io.switchboard.client.signaling;

/**
 * Another member of the room.
 *
 * @param id   the peer id the server assigned
 * @param name the display name it gave, empty when none
 */
public record PeerInfo(String id, String name) {
}
