package io.switchboard.client.turn;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * Application data relayed from a peer: from a Data indication ({@code channel} 0) or ChannelData on a bound channel.
 *
 * @param peer    the peer's transport address as the server saw it
 * @param channel the channel number, or 0 for a Data indication
 * @param data    the payload
 */
public record ReceivedData(InetSocketAddress peer, int channel, byte[] data) {
    public ReceivedData {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(data, "data");
    }

    public boolean viaChannel() {
        return channel != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReceivedData && peer.equals(((ReceivedData) o).peer) && channel == ((ReceivedData) o).channel
                && Arrays.equals(data, ((ReceivedData) o).data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(peer, channel) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "ReceivedData[peer=" + peer + ", channel=" + channel + ", " + data.length + " bytes]";
    }
}
