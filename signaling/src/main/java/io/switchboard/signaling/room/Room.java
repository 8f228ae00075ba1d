package io.switchboard.signaling.room;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A named group of peers; membership changes hold the room's monitor, lookups by id do not. */
public final class Room {
    private final String name;
    private final Map<String, Peer> byId = new ConcurrentHashMap<>();
    /** Members in join order; guarded by {@code this}. */
    private final List<Peer> members = new ArrayList<>();
    /** Set once the room was emptied and dropped from the directory; guarded by {@code this}. */
    private boolean removed;

    Room(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The member with {@code id}, or {@code null}; O(1) and lock-free. */
    Peer member(String id) {
        return byId.get(id);
    }

    int size() {
        return members.size();
    }

    List<Peer> members() {
        return members;
    }

    boolean removed() {
        return removed;
    }

    void markRemoved() {
        removed = true;
    }

    void add(Peer peer) {
        members.add(peer);
        byId.put(peer.id(), peer);
    }

    void remove(Peer peer) {
        members.remove(peer);
        byId.remove(peer.id());
    }
}
