package io.switchboard.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The OpaqueString profile of RFC 8265 §4.2, with the examples of RFC 8265 §4.2.3 where they apply. */
class OpaqueStringTest {
    @Test
    void asciiPassesUnchanged() {
        assertThat(OpaqueString.prepare("correct horse battery staple")).isEqualTo("correct horse battery staple");
        assertThat(OpaqueString.prepare("Ab1!~")).isEqualTo("Ab1!~");
    }

    @Test
    void rfc8265ValidExamplesAreAccepted() {
        assertThat(OpaqueString.prepare("Correct Horse Battery Staple")).isEqualTo("Correct Horse Battery Staple");
        assertThat(OpaqueString.prepare("\u03C0\u00DF\u00E5")).isEqualTo("\u03C0\u00DF\u00E5");
        assertThat(OpaqueString.prepare("Jack of \u2666s")).isEqualTo("Jack of \u2666s");
    }

    @Test
    void nonAsciiSpacesBecomeAsciiSpace() {
        // RFC 8265 §4.2.3 example 5: OGHAM SPACE MARK maps to SPACE.
        assertThat(OpaqueString.prepare("foo\u1680bar")).isEqualTo("foo bar");
        assertThat(OpaqueString.prepare("a\u00A0b\u3000c")).isEqualTo("a b c");
    }

    @Test
    void stringsAreNormalizedToNfc() {
        assertThat(OpaqueString.prepare("e\u0301")).isEqualTo("\u00E9");
        assertThat(OpaqueString.prepare("\u212B")).isEqualTo("\u00C5");
    }

    @Test
    void fullwidthCharactersAreKeptBecauseTheProfileForbidsWidthMapping() {
        // RFC 8265 §4.2.2 rule 1: fullwidth and halfwidth code points MUST NOT be mapped to their decompositions.
        assertThat(OpaqueString.prepare("\uFF21\uFF22\uFF23")).isEqualTo("\uFF21\uFF22\uFF23");
        assertThat(OpaqueString.prepare("\uFF76\uFF9E")).isEqualTo("\uFF76\uFF9E");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "control character (RFC 8265 example 6),     'my cat is a \u0009by',   U+0009",
            "soft hyphen (default ignorable),             'pass\u00ADword',         U+00AD",
            "zero width space,                            'pass\u200Bword',         U+200B",
            "unassigned code point,                       'pass\u0378word',         U+0378",
            "private use,                                 'pass\uE000word',         U+E000",
            "noncharacter,                                'pass\uFDD0word',         U+FDD0",
            "line separator,                              'pass\u2028word',         U+2028",
            "old Hangul jamo,                             'pass\u1100word',         U+1100",
            "joiner not after a virama,                   'pass\u200Dword',         U+200D",
            "middle dot not between l and l,              'pa\u00B7ss',             U+00B7"
    })
    void forbiddenCodePointsAreRefusedWithATypedError(String what, String input, String codePoint) {
        assertThatThrownBy(() -> OpaqueString.prepare(input))
                .isInstanceOfSatisfying(OpaqueStringException.class,
                        e -> assertThat(String.format("U+%04X", e.codePoint())).isEqualTo(codePoint))
                .hasMessageContaining(codePoint);
    }

    @Test
    void contextualCodePointsAreAllowedInTheirContext() {
        assertThat(OpaqueString.prepare("l\u00B7l")).isEqualTo("l\u00B7l");
        assertThat(OpaqueString.prepare("\u0915\u094D\u200D")).isEqualTo("\u0915\u094D\u200D");
    }

    @Test
    void emptyStringIsRefused() {
        assertThatThrownBy(() -> OpaqueString.prepare(""))
                .isInstanceOf(OpaqueStringException.class)
                .hasMessage("OpaqueString: empty string");
    }

    @Test
    void keysPrepareRealmAndPasswordButTakeTheUsernameAsSent() {
        assertThat(IntegrityKeys.longTermMd5("user", "example.org", "pass\u00A0word"))
                .isEqualTo(IntegrityKeys.longTermMd5("user", "example.org", "pass word"));
        assertThat(IntegrityKeys.longTermMd5("user", "example.org", "pass")).hasSize(16);
        assertThat(IntegrityKeys.longTermSha256("user", "example.org", "pass")).hasSize(32);
        assertThatThrownBy(() -> IntegrityKeys.shortTerm("")).isInstanceOf(OpaqueStringException.class);
    }
}
