package io.switchboard.signaling.cluster;

import io.switchboard.signaling.protocol.ServerMessages;
import java.util.ArrayList;
import java.util.List;

/** Reads the flattened lists the Lua scripts return. */
final class ScriptReplies {
    private ScriptReplies() {
    }

    /** {@code {id, name, id, name, ...}} as the members it lists. */
    static List<ServerMessages.PeerView> peerViews(Object reply) {
        List<Object> flat = Bytes.list(reply);
        List<ServerMessages.PeerView> views = new ArrayList<>(flat.size() / 2);
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            views.add(new ServerMessages.PeerView(Bytes.text(flat.get(i)), Bytes.text(flat.get(i + 1))));
        }
        return views;
    }

    /** {@code {seq, message, seq, message, ...}} as deliveries. */
    static List<LocalPeer.Delivery> deliveries(Object reply) {
        List<Object> flat = Bytes.list(reply);
        List<LocalPeer.Delivery> list = new ArrayList<>(flat.size() / 2);
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            list.add(new LocalPeer.Delivery(Bytes.number(flat.get(i)), (byte[]) flat.get(i + 1)));
        }
        return list;
    }

    /** The sequence number of inbox entry {@code <seq>-0}. */
    static long sequenceOf(String entryId) {
        int dash = entryId.indexOf('-');
        return Long.parseLong(dash < 0 ? entryId : entryId.substring(0, dash));
    }
}
