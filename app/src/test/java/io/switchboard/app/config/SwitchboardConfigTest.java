package io.switchboard.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SwitchboardConfigTest {

    @TempDir
    Path dir;

    private static Map<ConfigOption, List<String>> flags(Object... pairs) {
        Map<ConfigOption, List<String>> flags = new EnumMap<>(ConfigOption.class);
        for (int i = 0; i < pairs.length; i += 2) {
            flags.computeIfAbsent((ConfigOption) pairs[i], k -> new java.util.ArrayList<>()).add((String) pairs[i + 1]);
        }
        return flags;
    }

    private Path file(String yaml) throws IOException {
        Path file = dir.resolve("switchboard.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void defaultsMatchTheProductContract() {
        SwitchboardConfig config = SwitchboardConfig.from(ConfigSettings.ofFlags(Map.of()));
        assertThat(config.bind().getHostAddress()).isEqualTo("0.0.0.0");
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.turn().port()).isEqualTo(3478);
        assertThat(config.turn().relayPorts().low()).isEqualTo(49152);
        assertThat(config.turn().relayPorts().high()).isEqualTo(65535);
        assertThat(config.signaling().roomCapacity()).isEqualTo(8);
        assertThat(config.signaling().resumeGrace()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.signaling().maxMessageBytes()).isEqualTo(65536);
        assertThat(config.adminBind().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(config.authSecretGenerated()).isTrue();
        assertThat(config.signingSecret()).hasSizeGreaterThan(20);
    }

    @Test
    void flagsWinOverEnvironmentWhichWinsOverFile() throws IOException {
        Path file = file("http-port: 1111\nturn-port: 2222\nroom-capacity: 3\n");
        Map<String, String> env = Map.of("SWITCHBOARD_HTTP_PORT", "4444", "SWITCHBOARD_TURN_PORT", "5555");
        SwitchboardConfig config = SwitchboardConfig.from(ConfigSettings.resolve(
                flags(ConfigOption.CONFIG, file.toString(), ConfigOption.HTTP_PORT, "6666"), env));
        assertThat(config.httpPort()).isEqualTo(6666);
        assertThat(config.turn().port()).isEqualTo(5555);
        assertThat(config.signaling().roomCapacity()).isEqualTo(3);
    }

    @Test
    void configFileCanBeNamedByEnvironment() throws IOException {
        Path file = file("realm: example.org\n");
        SwitchboardConfig config = SwitchboardConfig.from(ConfigSettings.resolve(Map.of(),
                Map.of("SWITCHBOARD_CONFIG", file.toString())));
        assertThat(config.turn().realm()).isEqualTo("example.org");
    }

    @Test
    void repeatableOptionsComeAsListsInFilesAndCommaSeparatedInEnvironment() throws IOException {
        Path file = file("user:\n  - alice:secret\n  - bob:hunter2\nallow-peer: 10.0.0.0/8\n");
        SwitchboardConfig fromFile = SwitchboardConfig.from(ConfigSettings.resolve(
                flags(ConfigOption.CONFIG, file.toString()), Map.of()));
        assertThat(fromFile.turn().users()).extracting(u -> u.name()).containsExactly("alice", "bob");
        assertThat(fromFile.turn().allowPeers()).extracting(Object::toString).containsExactly("10.0.0.0/8");

        SwitchboardConfig fromEnv = SwitchboardConfig.from(ConfigSettings.resolve(Map.of(),
                Map.of("SWITCHBOARD_AUTH_SECRET", "one, two")));
        assertThat(fromEnv.turn().authSecrets()).containsExactly("one", "two");
        assertThat(fromEnv.authSecretGenerated()).isFalse();
    }

    @Test
    void unrelatedEnvironmentVariablesAreIgnored() {
        SwitchboardConfig config = SwitchboardConfig.from(ConfigSettings.resolve(Map.of(),
                Map.of("SWITCHBOARD_JAVA_OPTS", "-Xmx1g", "HTTP_PORT", "1")));
        assertThat(config.httpPort()).isEqualTo(8080);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "HTTP_PORT|abc|--http-port: 'abc' is not a whole number",
        "HTTP_PORT|70000|--http-port: must be between 0 and 65535, got 70000",
        "TURN_PORT|-1|--turn-port: must be between 0 and 65535, got -1",
        "BIND|example.com|--bind: 'example.com' is not an IP address",
        "EXTERNAL_IP|300.1.1.1|--external-ip: '300.1.1.1' is not an IP address",
                "ROOM_CAPACITY|0|--room-capacity: must be between 1 and 256, got 0",
        "RESUME_GRACE|soon|--resume-grace: 'soon' is not a whole number",
        "TCP_RELAY|maybe|--tcp-relay: 'maybe' is not true or false",
        "LOG_FORMAT|xml|--log-format: 'xml' is not one of text, json",
        "MAX_MESSAGE_SIZE|10|--max-message-size: must be between 256 and 16777216, got 10",
        "CREDENTIAL_TTL|0|--credential-ttl: must be between 1 and 2592000, got 0",
        "REALM|' '|--realm: must not be empty",
        "TLS|maybe|--tls: 'maybe' is not true or false",
        "TURNS_PORT|70000|--turns-port: must be between 0 and 65535, got 70000",
        "HTTPS_PORT|https|--https-port: 'https' is not a whole number",
        "DRAIN_TIMEOUT|-1|--drain-timeout: must be between 0 and 86400, got -1",
        "LOG_LEVEL|loud|--log-level: 'loud' is not one of error, warn, info, debug, trace",
        "ABUSE_LIMIT|0|--abuse-limit: must be between 1 and 1000000, got 0",
        "RESUME_BACKLOG_BYTES|100|--resume-backlog-bytes: must be between 256 and 1073741824, got 100",
        "ADMIN_BIND|localhost|--admin-bind: 'localhost' is not an IP address",
        "PUBLIC_HOST|turn_example.org|--public-host: 'turn_example.org' is neither a host name nor an IP address",
        "REDIRECT_THRESHOLD|-1|--redirect-threshold: must be between 0 and 10000000, got -1",
        "FLEET_URI|http://x|--fleet-uri: 'http://x' is not a STUN or TURN URI (stun:HOST[:PORT], turn:HOST[:PORT][?transport=udp], turns:HOST[:PORT])",
    })
    void invalidValuesFailNamingTheOption(String option, String value, String message) {
        ConfigOption configOption = ConfigOption.valueOf(option);
        assertThatThrownBy(() -> SwitchboardConfig.from(ConfigSettings.ofFlags(flags(configOption, value))))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @Test
    void errorsSayWhereABadValueWasWritten() throws IOException {
        assertThatThrownBy(() -> SwitchboardConfig.from(ConfigSettings.resolve(Map.of(),
                Map.of("SWITCHBOARD_ROOM_CAPACITY", "x"))))
                .hasMessage("--room-capacity (from SWITCHBOARD_ROOM_CAPACITY): 'x' is not a whole number");
        Path file = file("room-capacity: x\n");
        assertThatThrownBy(() -> SwitchboardConfig.from(ConfigSettings.resolve(
                flags(ConfigOption.CONFIG, file.toString()), Map.of())))
                .hasMessage("--room-capacity (key 'room-capacity' in " + file + "): 'x' is not a whole number");
    }

    @Test
    void unknownKeysInTheFileAreRefusedByName() throws IOException {
        Path file = file("http-prot: 1\n");
        assertThatThrownBy(() -> ConfigSettings.resolve(flags(ConfigOption.CONFIG, file.toString()), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--config: unknown option 'http-prot' in " + file);
    }

    @Test
    void aListForASingleValueOptionIsRefused() throws IOException {
        Path file = file("http-port: [1, 2]\n");
        assertThatThrownBy(() -> ConfigSettings.resolve(flags(ConfigOption.CONFIG, file.toString()), Map.of()))
                .hasMessage("--http-port (key 'http-port' in " + file + "): takes one value, not a list");
    }

    @Test
    void brokenYamlAndMissingFilesAreReported() throws IOException {
        Path broken = file("http-port: [1\n");
        assertThatThrownBy(() -> ConfigSettings.resolve(flags(ConfigOption.CONFIG, broken.toString()), Map.of()))
                .hasMessageStartingWith("--config: " + broken + " is not valid YAML");
        assertThatThrownBy(() -> ConfigSettings.resolve(flags(ConfigOption.CONFIG, "/nonexistent.yaml"), Map.of()))
                .hasMessage("--config: file not found: /nonexistent.yaml");
    }

    @Test
    void aSingleValueOptionGivenTwiceIsRefused() {
        assertThatThrownBy(() -> SwitchboardConfig.from(ConfigSettings.ofFlags(
                flags(ConfigOption.HTTP_PORT, "1", ConfigOption.HTTP_PORT, "2"))))
                .hasMessage("--http-port: given 2 times; it takes one value");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "RELAY_PORTS|60000-50000|--relay-ports",
        "RELAY_PORTS|50000|--relay-ports",
        "RELAY_PORTS|a-b|--relay-ports",
        "USER|alice|--user",
        "USER|:pw|--user",
        "ALLOW_PEER|10.0.0.0/33|--allow-peer",
        "DENY_PEER|not-a-cidr|--deny-peer",
        "ALTERNATE_ADDRESS|127.0.0.2|--alternate-address",
        "SIGNALING_SECRET|short|--signaling-secret",
        "USER_QUOTA|0|--user-quota",
        "TOTAL_QUOTA|0|--total-quota",
        "PERMISSION_QUOTA|0|--permission-quota",
        "MAX_BPS|-1|--max-bps",
    })
    void moduleLevelErrorsAlsoNameTheOption(String option, String value, String flag) {
        ConfigOption configOption = ConfigOption.valueOf(option);
        assertThatThrownBy(() -> SwitchboardConfig.from(ConfigSettings.ofFlags(flags(configOption, value))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(flag + ": ");
    }

    @Test
    void catalogDefaultsAreTheModulesDefaults() {
        SwitchboardConfig config = SwitchboardConfig.from(ConfigSettings.ofFlags(Map.of()));
        assertThat(config.turn().quotas()).isEqualTo(io.switchboard.turn.policy.Quotas.DEFAULTS);
        io.switchboard.signaling.SignalingConfig defaults = io.switchboard.signaling.SignalingConfig.defaults();
        assertThat(config.signaling().messageRate()).isEqualTo(defaults.messageRate());
        assertThat(config.signaling().messageBurst()).isEqualTo(defaults.messageBurst());
        assertThat(config.signaling().resumeBacklog()).isEqualTo(defaults.resumeBacklog());
        assertThat(config.signaling().pingInterval()).isEqualTo(defaults.pingInterval());
        assertThat(config.signaling().idleTimeout()).isEqualTo(defaults.idleTimeout());
        assertThat(config.turn().relayPorts()).isEqualTo(io.switchboard.turn.PortRange.DEFAULT);
        assertThat(config.turn().realm()).isEqualTo(io.switchboard.turn.TurnServerConfig.DEFAULT_REALM);
    }

    @Test
    void duplicateUsersAreRefused() {
        assertThatThrownBy(() -> SwitchboardConfig.from(ConfigSettings.ofFlags(
                flags(ConfigOption.USER, "alice:a", ConfigOption.USER, "alice:b"))))
                .hasMessageStartingWith("--user: ");
    }

    @Test
    void toStringNeverShowsPasswordsOrSecrets() {
        SwitchboardConfig config = SwitchboardConfig.from(ConfigSettings.ofFlags(
                flags(ConfigOption.USER, "alice:topsecret", ConfigOption.AUTH_SECRET, "sharedsecret")));
        assertThat(config.toString()).doesNotContain("topsecret").doesNotContain("sharedsecret").contains("alice");
        SwitchboardConfig signaling = SwitchboardConfig.from(ConfigSettings.ofFlags(
                flags(ConfigOption.SIGNALING_SECRET, "a-signing-secret-of-32-characters")));
        assertThat(signaling.toString()).doesNotContain("a-signing-secret-of-32-characters");
    }

    /** A value each option refuses; every option of the catalog must have one. */
    private static final Map<ConfigOption, String> INVALID = invalidValues();

    private static Map<ConfigOption, String> invalidValues() {
        Map<ConfigOption, String> values = new EnumMap<>(ConfigOption.class);
        for (ConfigOption option : ConfigOption.values()) {
            values.put(option, "!bad!");
        }
        values.put(ConfigOption.CONFIG, "/nonexistent/switchboard.yaml");
        values.put(ConfigOption.REALM, " ");
        values.put(ConfigOption.AUTH_SECRET, " ");
        values.put(ConfigOption.ALLOWED_ORIGIN, "ftp://example.org");
        values.put(ConfigOption.SIGNALING_SECRET, "short");
        values.put(ConfigOption.TLS_CERT, "/nonexistent/cert.pem");
        values.put(ConfigOption.TLS_KEY, "/nonexistent/key.pem");
        return values;
    }

    @Test
    void everyOptionRefusesABadValueWithAMessageNamingIt() {
        io.switchboard.app.tls.TestCertificates.Issued good = io.switchboard.app.tls.TestCertificates.issue("EC", "good");
        String goodCert = good.writeChain(dir.resolve("good-cert.pem")).toString();
        String goodKey = good.writePkcs8Key(dir.resolve("good-key.pem")).toString();
        for (ConfigOption option : ConfigOption.values()) {
            Map<ConfigOption, List<String>> given = flags(option, INVALID.get(option));
            if (option == ConfigOption.TLS_CERT) {
                given.put(ConfigOption.TLS_KEY, List.of(goodKey));
            } else if (option == ConfigOption.TLS_KEY) {
                given.put(ConfigOption.TLS_CERT, List.of(goodCert));
            }
            assertThatThrownBy(() -> SwitchboardConfig.from(ConfigSettings.ofFlags(given)))
                    .as(option.flag() + " " + INVALID.get(option))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(option.flag() + ": ");
        }
    }

    @Test
    void tlsFilesAreCheckedWhenTheConfigurationIsBuilt() throws IOException {
        io.switchboard.app.tls.TestCertificates.Issued one = io.switchboard.app.tls.TestCertificates.issue("EC", "one");
        io.switchboard.app.tls.TestCertificates.Issued two = io.switchboard.app.tls.TestCertificates.issue("EC", "two");
        Path cert = one.writeChain(dir.resolve("cert.pem"));
        Path key = one.writePkcs8Key(dir.resolve("key.pem"));
        Path otherKey = two.writePkcs8Key(dir.resolve("other.pem"));

        SwitchboardConfig ok = SwitchboardConfig.from(ConfigSettings.ofFlags(
                flags(ConfigOption.TLS_CERT, cert.toString(), ConfigOption.TLS_KEY, key.toString())));
        assertThat(ok.tls().certificate()).contains(cert);
        assertThat(ok.tls().fromFiles()).isTrue();

        assertThatThrownBy(() -> SwitchboardConfig.from(ConfigSettings.ofFlags(
                flags(ConfigOption.TLS_CERT, cert.toString(), ConfigOption.TLS_KEY, otherKey.toString()))))
                .hasMessage("--tls-key: " + otherKey + " is not the private key of the first certificate in " + cert);
        assertThatThrownBy(() -> SwitchboardConfig.from(ConfigSettings.ofFlags(flags(ConfigOption.TLS_CERT, cert.toString()))))
                .hasMessage("--tls-key: is required with --tls-cert");
        assertThatThrownBy(() -> SwitchboardConfig.from(ConfigSettings.ofFlags(flags(ConfigOption.TLS_KEY, key.toString()))))
                .hasMessage("--tls-cert: is required with --tls-key");
        assertThatThrownBy(() -> SwitchboardConfig.from(ConfigSettings.ofFlags(flags(ConfigOption.TLS, "false",
                ConfigOption.TLS_CERT, cert.toString(), ConfigOption.TLS_KEY, key.toString()))))
                .hasMessage("--tls-cert: given while --tls is false; drop one of them");
        Path file = file("tls-cert: " + cert + "\ntls-key: /nonexistent/key.pem\n");
        assertThatThrownBy(() -> SwitchboardConfig.from(ConfigSettings.resolve(flags(ConfigOption.CONFIG, file.toString()), Map.of())))
                .hasMessage("--tls-key (key 'tls-key' in " + file + "): file not found: /nonexistent/key.pem");
    }

    @Test
    void tlsIsOnByDefaultWithTheProductPortsAndASelfSignedCertificate() {
        SwitchboardConfig config = SwitchboardConfig.from(ConfigSettings.ofFlags(Map.of()));
        assertThat(config.tls().enabled()).isTrue();
        assertThat(config.tls().turnsPort()).isEqualTo(5349);
        assertThat(config.tls().httpsPort()).isEqualTo(8443);
        assertThat(config.tls().fromFiles()).isFalse();
        assertThat(config.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(SwitchboardConfig.from(ConfigSettings.ofFlags(flags(ConfigOption.TLS, "false"))).tls().enabled()).isFalse();
    }

    @ParameterizedTest(name = "{0}={1} {2}={3}")
    @CsvSource({
        "HTTP_PORT,9000,HTTPS_PORT,9000,--https-port: port 9000 is already the --http-port; give each listener its own",
        "TURN_PORT,9000,TURNS_PORT,9000,--turns-port: port 9000 is already the --turn-port; give each listener its own",
        "HTTP_PORT,9000,ADMIN_PORT,9000,--admin-port: port 9000 is already the --http-port; give each listener its own",
        "HTTP_PORT,9000,TURN_PORT,9000,--turn-port: port 9000 is already the --http-port; give each listener its own",
    })
    void twoListenersOnOneTcpPortAreRefused(String first, String firstPort, String second, String secondPort,
                                            String message) {
        assertThatThrownBy(() -> SwitchboardConfig.from(ConfigSettings.ofFlags(flags(
                ConfigOption.valueOf(first), firstPort, ConfigOption.valueOf(second), secondPort))))
                .hasMessage(message);
    }

    @Test
    void portsOfTurnedOffTlsListenersMayRepeatOthers() {
        SwitchboardConfig config = SwitchboardConfig.from(ConfigSettings.ofFlags(flags(ConfigOption.TLS, "false",
                ConfigOption.HTTP_PORT, "9000", ConfigOption.HTTPS_PORT, "9000")));
        assertThat(config.httpPort()).isEqualTo(9000);
    }

    @Test
    void publicHostTakesNamesAndAddresses() {
        assertThat(SwitchboardConfig.from(ConfigSettings.ofFlags(flags(ConfigOption.PUBLIC_HOST, "turn.example.org")))
                .publicHost()).contains("turn.example.org");
        assertThat(SwitchboardConfig.from(ConfigSettings.ofFlags(flags(ConfigOption.PUBLIC_HOST, "[2001:db8::7]")))
                .publicHost()).contains("2001:db8:0:0:0:0:0:7");
    }

    @Test
    void aReloadKeepsTheSecretGeneratedAtStart() {
        SwitchboardConfig first = SwitchboardConfig.from(ConfigSettings.ofFlags(Map.of()));
        SwitchboardConfig again = SwitchboardConfig.from(ConfigSettings.ofFlags(Map.of()), first::signingSecret);
        assertThat(again.signingSecret()).isEqualTo(first.signingSecret());
        assertThat(again.authSecretGenerated()).isTrue();
    }

    @Test
    void errorsAboutSecretOptionsNeverQuoteTheValue() {
        assertThatThrownBy(() -> SwitchboardConfig.from(ConfigSettings.ofFlags(flags(ConfigOption.USER, ":hunter2-password"))))
                .hasMessageStartingWith("--user: ")
                .hasMessageNotContaining("hunter2-password");
        assertThatThrownBy(() -> SwitchboardConfig.from(ConfigSettings.ofFlags(flags(ConfigOption.REDIS,
                "http://:redis-password@host"))))
                .hasMessageStartingWith("--redis: ")
                .hasMessageNotContaining("redis-password");
    }

    @Test
    void everyOptionHasAUniqueEnvironmentVariableAndDescription() {
        assertThat(ConfigOption.values()).extracting(ConfigOption::environmentVariable).doesNotHaveDuplicates();
        assertThat(ConfigOption.values()).allSatisfy(o -> assertThat(o.description()).endsWith("."));
        assertThat(ConfigOption.HTTP_PORT.environmentVariable()).isEqualTo("SWITCHBOARD_HTTP_PORT");
    }
}
