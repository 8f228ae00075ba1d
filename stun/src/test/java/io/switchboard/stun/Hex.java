package io.switchboard.stun;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Hex test vectors as the RFCs print them: whitespace-separated bytes, '#' comments. */
final class Hex {
    private Hex() {
    }

    static byte[] parse(String text) {
        StringBuilder digits = new StringBuilder();
        for (String line : text.split("\n")) {
            int comment = line.indexOf('#');
            String data = comment >= 0 ? line.substring(0, comment) : line;
            digits.append(data.replaceAll("\\s+", ""));
        }
        return HexFormat.of().parseHex(digits);
    }

    static byte[] resource(String path) {
        try (InputStream in = Hex.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String format(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }
}
