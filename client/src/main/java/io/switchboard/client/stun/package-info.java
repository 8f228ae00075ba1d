/**
 * STUN client of the Java SDK: Binding over UDP (RFC 8489 §6.2.1 retransmissions) and TCP, and NAT behaviour
 * discovery (RFC 5780 §4.3-4.4) as used by {@code bin/switchboard nat-check}.
 */
package io.switchboard.client.stun;
