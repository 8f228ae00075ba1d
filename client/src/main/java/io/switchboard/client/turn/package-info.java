/**
 * A small TURN client (RFC 8656, RFC 6156) over UDP, TCP or TLS: allocate with long-term credentials (answering 401
 * and 438 challenges), refresh, create permissions, bind channels, send by Send indication or ChannelData, and receive
 * Data indications and ChannelData. Start with {@link io.switchboard.client.turn.TurnClient#connect}.
 */
package io.switchboard.client.turn;
