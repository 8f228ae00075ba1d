package io.switchboard.stun;

import java.text.Normalizer;

/**
 * The PRECIS OpaqueString profile (RFC 8265 §4.2) that STUN applies to usernames, realms and passwords
 * (RFC 8489 §9.2.2, §14.3), built on {@link Normalizer} and {@link Character}.
 *
 * <p>Enforcement, in the order of RFC 8264 §7: non-ASCII spaces (category Zs) become U+0020; the string is normalised to
 * NFC; every code point must be allowed by the FreeformClass (RFC 8264 §4.3, derived as in §8 and §9); the result must
 * not be empty. Fullwidth and halfwidth characters are deliberately <em>not</em> width-mapped: RFC 8265 §4.2.2 rule 1
 * says they MUST NOT be for this profile (only the username profiles map them). Contrary to SASLprep, nothing is
 * mapped to nothing: a soft hyphen (U+00AD, Default_Ignorable) is refused, not removed.
 */
public final class OpaqueString {
    private OpaqueString() {
    }

    /** The enforced form of {@code text}, or an {@link OpaqueStringException} naming the first code point refused. */
    public static String prepare(String text) {
        if (text == null) {
            throw new OpaqueStringException("OpaqueString: null", -1, -1);
        }
        if (isPlainAscii(text)) {
            if (text.isEmpty()) {
                throw new OpaqueStringException("OpaqueString: empty string", -1, -1);
            }
            return text;
        }
        StringBuilder mapped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp != ' ' && Character.getType(cp) == Character.SPACE_SEPARATOR) {
                mapped.append(' ');
            } else {
                mapped.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFC);
        if (normalized.isEmpty()) {
            throw new OpaqueStringException("OpaqueString: empty string", -1, -1);
        }
        for (int i = 0; i < normalized.length(); ) {
            int cp = normalized.codePointAt(i);
            String refusal = refusal(normalized, i, cp);
            if (refusal != null) {
                throw new OpaqueStringException(String.format("OpaqueString: U+%04X at index %d is %s", cp, i, refusal), i, cp);
            }
            i += Character.charCount(cp);
        }
        return normalized;
    }

    /** Printable ASCII and space pass unchanged: the common case costs no normalisation. */
    private static boolean isPlainAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** Why the FreeformClass refuses this code point here, or null when it is allowed (RFC 8264 §8 order). */
    private static String refusal(String s, int index, int cp) {
        String exception = exception(s, index, cp);
        if (exception != null) {
            return exception.isEmpty() ? null : exception;
        }
        int type = Character.getType(cp);
        if (type == Character.UNASSIGNED) {
            return "unassigned";
        }
        if (cp >= 0x21 && cp <= 0x7E) {
            return null;
        }
        if (cp == 0x200C || cp == 0x200D) {
            return precededByVirama(s, index) ? null : "a joiner not after a virama (CONTEXTJ)";
        }
        if (isOldHangulJamo(cp)) {
            return "an old Hangul jamo";
        }
        if (isDefaultIgnorable(cp) || isNoncharacter(cp)) {
            return "a default-ignorable code point or noncharacter";
        }
        if (type == Character.CONTROL) {
            return "a control character";
        }
        if (hasCompatibilityMapping(cp)) {
            return null;
        }
        switch (type) {
            // LetterDigits (RFC 8264 §9.1) and OtherLetterDigits (§9.18)
            case Character.LOWERCASE_LETTER: case Character.UPPERCASE_LETTER: case Character.OTHER_LETTER:
            case Character.DECIMAL_DIGIT_NUMBER: case Character.MODIFIER_LETTER: case Character.NON_SPACING_MARK:
            case Character.COMBINING_SPACING_MARK: case Character.TITLECASE_LETTER: case Character.LETTER_NUMBER:
            case Character.OTHER_NUMBER: case Character.ENCLOSING_MARK:
            // Spaces (§9.14), Symbols (§9.15), Punctuation (§9.16)
            case Character.SPACE_SEPARATOR:
            case Character.MATH_SYMBOL: case Character.CURRENCY_SYMBOL: case Character.MODIFIER_SYMBOL:
            case Character.OTHER_SYMBOL:
            case Character.CONNECTOR_PUNCTUATION: case Character.DASH_PUNCTUATION: case Character.START_PUNCTUATION:
            case Character.END_PUNCTUATION: case Character.INITIAL_QUOTE_PUNCTUATION:
            case Character.FINAL_QUOTE_PUNCTUATION: case Character.OTHER_PUNCTUATION:
                return null;
            default:
                return "not in the FreeformClass (format, private use, surrogate or separator)";
        }
    }

    /**
     * The exceptions of RFC 5892 §2.6 that RFC 8264 §9.6 keeps: "" for allowed, a reason for refused, null for none.
     */
    private static String exception(String s, int index, int cp) {
        switch (cp) {
            case 0x00DF: case 0x03C2: case 0x06FD: case 0x06FE: case 0x0F0B: case 0x3007:
                return "";
            case 0x0640: case 0x07FA: case 0x302E: case 0x302F: case 0x3031: case 0x3032: case 0x3033: case 0x3034:
            case 0x3035: case 0x303B:
                return "disallowed by the RFC 5892 exceptions";
            case 0x00B7: // MIDDLE DOT between two 'l' (RFC 5892 Appendix A.3)
                return index > 0 && s.charAt(index - 1) == 'l' && index + 1 < s.length() && s.charAt(index + 1) == 'l'
                        ? "" : "a middle dot not between two 'l' (CONTEXTO)";
            case 0x0375: // GREEK LOWER NUMERAL SIGN before Greek (A.4)
                return index + 1 < s.length() && Character.UnicodeScript.of(s.codePointAt(index + 1)) == Character.UnicodeScript.GREEK
                        ? "" : "a keraia not before Greek (CONTEXTO)";
            case 0x05F3: case 0x05F4: // HEBREW GERESH / GERSHAYIM after Hebrew (A.5, A.6)
                return index > 0 && Character.UnicodeScript.of(s.codePointBefore(index)) == Character.UnicodeScript.HEBREW
                        ? "" : "a geresh not after Hebrew (CONTEXTO)";
            case 0x30FB: // KATAKANA MIDDLE DOT with Hiragana, Katakana or Han (A.9)
                return hasJapanese(s) ? "" : "a katakana middle dot without Japanese text (CONTEXTO)";
            default:
                if (cp >= 0x0660 && cp <= 0x0669) { // ARABIC-INDIC DIGITS not mixed with extended ones (A.7)
                    return containsRange(s, 0x06F0, 0x06F9) ? "Arabic-Indic digits mixed with extended ones (CONTEXTO)" : "";
                }
                if (cp >= 0x06F0 && cp <= 0x06F9) { // (A.8)
                    return containsRange(s, 0x0660, 0x0669) ? "Arabic-Indic digits mixed with extended ones (CONTEXTO)" : "";
                }
                return null;
        }
    }

    private static boolean precededByVirama(String s, int index) {
        if (index == 0) {
            return false;
        }
        String name = Character.getName(s.codePointBefore(index));
        return name != null && name.contains("VIRAMA");
    }

    private static boolean hasJapanese(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            Character.UnicodeScript script = Character.UnicodeScript.of(cp);
            if (cp != 0x30FB && (script == Character.UnicodeScript.HIRAGANA || script == Character.UnicodeScript.KATAKANA
                    || script == Character.UnicodeScript.HAN)) {
                return true;
            }
            i += Character.charCount(cp);
        }
        return false;
    }

    private static boolean containsRange(String s, int from, int to) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= from && s.charAt(i) <= to) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOldHangulJamo(int cp) {
        return (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0xA960 && cp <= 0xA97F) || (cp >= 0xD7B0 && cp <= 0xD7FF);
    }

    /** Default_Ignorable_Code_Point of Unicode's DerivedCoreProperties, which {@link Character} does not expose. */
    private static boolean isDefaultIgnorable(int cp) {
        return cp == 0x00AD || cp == 0x034F || cp == 0x061C || cp == 0x115F || cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5
                || (cp >= 0x180B && cp <= 0x180F) || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E)
                || (cp >= 0x2060 && cp <= 0x206F) || cp == 0x3164 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF
                || cp == 0xFFA0 || (cp >= 0xFFF0 && cp <= 0xFFF8) || (cp >= 0x1BCA0 && cp <= 0x1BCA3)
                || (cp >= 0x1D173 && cp <= 0x1D17A) || (cp >= 0xE0000 && cp <= 0xE0FFF);
    }

    private static boolean isNoncharacter(int cp) {
        return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
    }

    /** HasCompat (RFC 8264 §9.17): NFKC changes the code point; the FreeformClass allows these. */
    private static boolean hasCompatibilityMapping(int cp) {
        String one = new String(Character.toChars(cp));
        return !Normalizer.normalize(one, Normalizer.Form.NFKC).equals(one);
    }
}
