package io.switchboard.signaling.room;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A named group of peers; membership changes hold the room's monitor, lookups by id do not.
 *
 * <p>Members are a copy-on-write array in join order, searched directly while the room is small and through an id
 * index built with each change once it is larger, so a room of two costs one small array.
 */
public final class Room {
    private static final Peer[] EMPTY = new Peer[0];
    private static final int INDEX_ABOVE = 16;

    private final String name;
    private volatile Peer[] members = EMPTY;
    /** Members by id once there are more than {@value #INDEX_ABOVE}; null below. */
    private volatile Map<String, Peer> index;
    /** Set once the room was emptied and dropped from the directory; guarded by {@code this}. */
    private boolean removed;

    Room(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The member with {@code id}, or {@code null}; lock-free, and O(1) in rooms above the indexing size. */
    Peer member(String id) {
        Map<String, Peer> byId = index;
        if (byId != null) {
            return byId.get(id);
        }
        for (Peer peer : members) {
            if (peer.id().equals(id)) {
                return peer;
            }
        }
        return null;
    }

    int size() {
        return members.length;
    }

    /** The members in join order; an unmodifiable snapshot. */
    List<Peer> members() {
        return Collections.unmodifiableList(Arrays.asList(members));
    }

    boolean removed() {
        return removed;
    }

    void markRemoved() {
        removed = true;
    }

    void add(Peer peer) {
        Peer[] next = Arrays.copyOf(members, members.length + 1);
        next[members.length] = peer;
        publish(next);
    }

    void remove(Peer peer) {
        Peer[] now = members;
        for (int i = 0; i < now.length; i++) {
            if (now[i] == peer) {
                Peer[] next = new Peer[now.length - 1];
                System.arraycopy(now, 0, next, 0, i);
                System.arraycopy(now, i + 1, next, i, now.length - i - 1);
                publish(next);
                return;
            }
        }
    }

    private void publish(Peer[] next) {
        if (next.length > INDEX_ABOVE) {
            Map<String, Peer> byId = new HashMap<>();
            for (Peer peer : next) {
                byId.put(peer.id(), peer);
            }
            index = byId;
        } else {
            index = null;
        }
        members = next;
    }
}
