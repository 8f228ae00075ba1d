package io.switchboard.signaling.cluster;

/**
 * Names of the Redis keys and channels of a Switchboard cluster (the Lua scripts use the same names). Keys of one
 * room share the hash tag {@code {room}}.
 */
final class ClusterKeys {
    static final String PREFIX = "sb:";
    /** Set of the ids of every node that registered, alive or not yet reaped. */
    static final byte[] NODES = Bytes.of(PREFIX + "nodes");
    /** A random value written once per Redis data set; a change tells the nodes that Redis lost its data. */
    static final byte[] INSTANCE = Bytes.of(PREFIX + "instance");

    private ClusterKeys() {
    }

    /** The lease of a node: present while the node is alive. */
    static byte[] node(String nodeId) {
        return Bytes.of(PREFIX + "node:" + nodeId);
    }

    /** The peers attached to a node, as {@code "<room> <id>"}. */
    static byte[] nodePeers(String nodeId) {
        return Bytes.of(PREFIX + "node:" + nodeId + ":peers");
    }

    /** The Pub/Sub channel on which a node receives deliveries for its peers and control messages. */
    static byte[] channel(String nodeId) {
        return Bytes.of(PREFIX + "chan:" + nodeId);
    }

    /** The stream of deliveries to one peer, entry id {@code <sequence number>-0}. */
    static byte[] inbox(String room, String peerId) {
        return Bytes.of(PREFIX + "{" + room + "}:inbox:" + peerId);
    }
}
