package io.switchboard.turn.server;

import io.switchboard.stun.IntegrityKeys;
import io.switchboard.stun.PasswordAlgorithm;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Long-term keys (RFC 8489 §9.2.2) by algorithm, username, realm and password, so that each request does not hash
 * them again; emptied when full, so that many usernames cannot grow it without bound.
 */
final class LongTermKeyCache {
    static final int MAX_ENTRIES = 10_000;

    private record Key(int algorithm, String username, String realm, String password) {
    }

    private final Map<Key, byte[]> keys = new ConcurrentHashMap<>();

    /**
     * The key, computed once per distinct input; callers must not modify it.
     *
     * @throws IllegalArgumentException as {@link IntegrityKeys#longTerm} does
     */
    byte[] key(PasswordAlgorithm algorithm, String username, String realm, String password) {
        Key lookup = new Key(algorithm.algorithm(), username, realm, password);
        byte[] key = keys.get(lookup);
        if (key == null) {
            key = IntegrityKeys.longTerm(algorithm, username, realm, password);
            if (keys.size() >= MAX_ENTRIES) {
                keys.clear();
            }
            keys.put(lookup, key);
        }
        return key;
    }

    int size() {
        return keys.size();
    }
}
