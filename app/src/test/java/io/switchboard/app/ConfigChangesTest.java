package io.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.app.config.ConfigOption;
import io.switchboard.app.config.ConfigSettings;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigChangesTest {

    private static Map<ConfigOption, List<String>> values(Object... pairs) {
        Map<ConfigOption, List<String>> flags = new EnumMap<>(ConfigOption.class);
        for (int i = 0; i < pairs.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> list = pairs[i + 1] instanceof List ? (List<String>) pairs[i + 1] : List.of((String) pairs[i + 1]);
            flags.put((ConfigOption) pairs[i], list);
        }
        return ConfigChanges.snapshot(ConfigSettings.ofFlags(flags));
    }

    @Test
    void namesUsersAddedRemovedAndWithNewPasswordsButNoPassword() {
        ConfigChanges changes = ConfigChanges.between(
                values(ConfigOption.USER, List.of("alice:one", "carol:three")),
                values(ConfigOption.USER, List.of("alice:uno", "bob:two")));

        assertThat(changes.applied()).containsExactly("--user: +bob, -carol, alice (new password)");
        assertThat(changes.toString()).doesNotContain("one", "two", "three", "uno");
        assertThat(changes.needRestart()).isEmpty();
    }

    @Test
    void neverShowsSecretValues() {
        ConfigChanges changes = ConfigChanges.between(
                values(ConfigOption.AUTH_SECRET, "old-shared-secret", ConfigOption.SIGNALING_SECRET, "first-signing-secret"),
                values(ConfigOption.AUTH_SECRET, List.of("new-shared-secret", "old-shared-secret"),
                        ConfigOption.SIGNALING_SECRET, "second-signing-secret"));

        assertThat(changes.applied()).containsExactly("--auth-secret: 2 value(s), changed (values not shown)");
        assertThat(changes.needRestart()).containsExactly("--signaling-secret");
        assertThat(changes.toString()).doesNotContain("shared-secret", "signing-secret");
    }

    @Test
    void splitsReloadableChangesFromThoseNeedingARestart() {
        ConfigChanges changes = ConfigChanges.between(
                values(ConfigOption.HTTP_PORT, "8080", ConfigOption.USER_QUOTA, "64"),
                values(ConfigOption.HTTP_PORT, "9090", ConfigOption.USER_QUOTA, "8", ConfigOption.DENY_PEER, "198.51.100.0/24"));

        assertThat(changes.applied()).containsExactly("--deny-peer: (none) -> 198.51.100.0/24", "--user-quota: 64 -> 8");
        assertThat(changes.needRestart()).containsExactly("--http-port");
    }

    @Test
    void optionsNeedingARestartStayReportedUntilRestarted() {
        Map<ConfigOption, List<String>> start = values(ConfigOption.HTTP_PORT, "8080");
        Map<ConfigOption, List<String>> next = values(ConfigOption.HTTP_PORT, "9090", ConfigOption.REALM, "example.org");
        Map<ConfigOption, List<String>> inForce = ConfigChanges.inForceAfter(start, next);

        ConfigChanges again = ConfigChanges.between(inForce, next);
        assertThat(again.applied()).isEmpty();
        assertThat(again.needRestart()).containsExactly("--http-port");
    }
}
