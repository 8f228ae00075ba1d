package io.switchboard.signaling;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Sends one HTTP/1.1 request with the exact request target given, so no client normalizes the path. */
final class RawHttp {
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    static Response get(InetSocketAddress server, String target) {
        return request(server, "GET", target, Map.of());
    }

    static Response request(InetSocketAddress server, String method, String target, Map<String, String> headers) {
        return request(server, method, target, headers, "");
    }

    static Response request(InetSocketAddress server, String method, String target, Map<String, String> headers, String body) {
        try (Socket socket = new Socket(server.getAddress(), server.getPort())) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
            headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
            if (!body.isEmpty()) {
                request.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
            }
            request.append("\r\n").append(body);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            java.io.ByteArrayOutputStream headBytes = new java.io.ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed in the response head: " + headBytes);
                }
                headBytes.write(b);
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String[] head = headBytes.toString(StandardCharsets.UTF_8).trim().split("\r\n");
            Map<String, String> parsed = new TreeMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                parsed.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
            }
            int status = Integer.parseInt(head[0].split(" ")[1]);
            String length = parsed.get("content-length");
            byte[] content;
            if (method.equals("HEAD") || status == 304) {
                content = new byte[0];
            } else if (length != null) {
                content = in.readNBytes(Integer.parseInt(length));
            } else {
                content = in.readAllBytes();
            }
            return new Response(status, parsed, new String(content, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("request failed: " + method + " " + target, e);
        }
    }
}
