package io.switchboard.signaling;

import io.netty.channel.Channel;
import io.switchboard.signaling.protocol.ErrorCode;
import io.switchboard.signaling.room.PeerLink;
import io.switchboard.signaling.session.Admission;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Draining a signaling server before it stops (signaling protocol v1 §12): joins are refused with {@code draining}, the
 * listeners stop accepting connections, and every connected client gets {@code reconnect} and then the close of a
 * server going away (error {@code shutting-down}, WebSocket close 1001). Clients reconnect through the load balancer to
 * another node; their peers keep their place for the resume grace period.
 */
final class Drain {
    /** The {@code reconnect} server message; clients that do not know it still reconnect after the close. */
    static final byte[] RECONNECT = ("{\"type\":\"reconnect\",\"reason\":\"draining\",\"message\":"
            + "\"this server is shutting down; connect again to reach another one\"}").getBytes(StandardCharsets.UTF_8);

    private Drain() {
    }

    /** Refuses joins, closes {@code listeners} and sends every link in {@code openLinks} away; returns how many. */
    static int start(Admission admission, List<Channel> listeners, Set<PeerLink> openLinks) {
        admission.startDraining();
        for (Channel listener : listeners) {
            listener.close().syncUninterruptibly();
        }
        List<PeerLink> links = List.copyOf(openLinks);
        for (PeerLink link : links) {
            link.send(RECONNECT);
            link.close(ErrorCode.SHUTTING_DOWN, "this server is shutting down; connect again to reach another one");
        }
        return links.size();
    }
}
