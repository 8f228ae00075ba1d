package io.switchboard.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Type, method and error-code constants against the IANA STUN registries (transcribed under test resources). */
class IanaRegistryTest {
    static Map<Integer, String> registry(String path) throws IOException {
        Map<Integer, String> entries = new LinkedHashMap<>();
        try (InputStream in = IanaRegistryTest.class.getResourceAsStream("/" + path)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split(",");
                entries.put(Integer.decode(fields[0]), fields[1]);
            }
        }
        return entries;
    }

    @Test
    void everyNamedAttributeTypeHasItsIanaCodeAndName() throws IOException {
        Map<Integer, String> iana = registry("iana/stun-attributes.csv");
        for (Map.Entry<Integer, String> named : AttributeType.names().entrySet()) {
            String registered = iana.get(named.getKey());
            assertThat(registered).as("IANA entry for %s", named.getValue()).isNotNull();
            if (registered.startsWith("Reserved")) {
                // RFC 3489 attributes kept for classic peers: IANA lists them as "Reserved; was NAME".
                assertThat(registered).contains("was " + named.getValue());
            } else {
                assertThat(named.getValue()).isEqualTo(registered);
            }
        }
        assertThat(AttributeType.names()).hasSize(47);
    }

    @Test
    void everyAttributeRecordReportsTheTypeOfItsIanaName() throws Exception {
        Map<Integer, String> iana = registry("iana/stun-attributes.csv");
        AttributeRoundTripTest.everyAttribute()
                .filter(a -> !(a instanceof UnknownAttribute))
                .forEach(a -> assertThat(iana.get(a.type()))
                        .as(a.getClass().getSimpleName())
                        .contains(AttributeType.name(a.type())));
    }

    @Test
    void comprehensionRequiredIsTheRangeBelow0x8000() {
        assertThat(AttributeType.isComprehensionRequired(0x0000)).isTrue();
        assertThat(AttributeType.isComprehensionRequired(0x7FFF)).isTrue();
        assertThat(AttributeType.isComprehensionRequired(0x8000)).isFalse();
        assertThat(AttributeType.isComprehensionRequired(0xFFFF)).isFalse();
    }

    @Test
    void methodConstantsMatchTheIanaMethodsRegistry() throws IOException {
        Map<Integer, String> iana = registry("iana/stun-methods.csv");
        for (Map.Entry<Integer, String> method : iana.entrySet()) {
            assertThat(StunMethod.of(method.getKey()).displayName()).isEqualTo(method.getValue());
        }
        assertThat(StunMethod.CONNECTION_ATTEMPT.code()).isEqualTo(0x00C);
        assertThat(StunMethod.CREATE_PERMISSION.code()).isEqualTo(0x008);
    }

    @Test
    void errorCodeReasonPhrasesMatchTheIanaRegistry() throws IOException {
        for (Map.Entry<Integer, String> code : registry("iana/stun-error-codes.csv").entrySet()) {
            assertThat(ErrorCode.of(code.getKey()).reason()).isEqualTo(code.getValue());
        }
    }
}
