#!/usr/bin/env python3
"""Captures the STUN packets headless Chromium sends while gathering ICE candidates.

Not run by the build. Re-run with:  python3 stun/src/test/capture/capture_chromium.py
It starts, all on 127.0.0.1 and random ports:
  - a UDP "server" that records every datagram and answers just enough for Chromium to go on:
    Binding -> success with XOR-MAPPED-ADDRESS (ICE checks carry integrity and are answered the same, unsigned); Allocate without integrity -> 401 with REALM and NONCE;
    Allocate/Refresh with integrity -> success (XOR-RELAYED-ADDRESS, XOR-MAPPED-ADDRESS, LIFETIME,
    MESSAGE-INTEGRITY, FINGERPRINT) using the long-term key of USER/PASSWORD/REALM below;
  - an HTTP server with a page whose RTCPeerConnection uses stun: and turn: URLs pointing at that port,
    creates a data channel, and calls createOffer/setLocalDescription to gather; a second connection answers it and
    a remote host candidate at the capture port makes Chromium send ICE connectivity checks there too;
  - chromium --headless on that page for a few seconds.
It writes one hex file per distinct kind of request under src/test/resources/chromium/ and the raw datagrams
as the Jazzer seed corpus under src/test/resources/io/switchboard/stun/StunFuzzTestInputs/decodeEncodeDecode/.
"""
import hashlib
import hmac
import http.server
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

USER, PASSWORD, REALM, NONCE = "capture", "capture-password", "switchboard.test", "0123456789abcdef"
MAGIC = 0x2112A442
HERE = os.path.dirname(os.path.abspath(__file__))
RESOURCES = os.path.join(HERE, "..", "resources")
CORPUS = os.path.join(RESOURCES, "io", "switchboard", "stun", "StunFuzzTestInputs", "decodeEncodeDecode")


def attr(t, v):
    return struct.pack("!HH", t, len(v)) + v + b"\0" * ((4 - len(v) % 4) % 4)


def xor_addr(host, port, tid):
    ip = socket.inet_aton(host)
    return struct.pack("!BBH", 0, 1, port ^ (MAGIC >> 16)) + bytes(a ^ b for a, b in zip(ip, struct.pack("!I", MAGIC)))


def message(mtype, tid, attrs, key=None):
    body = b"".join(attrs)
    if key is not None:
        head = struct.pack("!HHI", mtype, len(body) + 24, MAGIC) + tid
        body += attr(0x0008, hmac.new(key, head + body, hashlib.sha1).digest())
    head = struct.pack("!HHI", mtype, len(body) + 8, MAGIC) + tid
    crc = zlib.crc32(head + body) ^ 0x5354554E
    body += attr(0x8028, struct.pack("!I", crc))
    return struct.pack("!HHI", mtype, len(body), MAGIC) + tid + body


def attributes(data):
    pos, out = 20, []
    while pos + 4 <= len(data):
        t, n = struct.unpack_from("!HH", data, pos)
        out.append(t)
        pos += 4 + n + (4 - n % 4) % 4
    return out


def serve_udp(sock, packets, stop):
    key = hashlib.md5(f"{USER}:{REALM}:{PASSWORD}".encode()).digest()
    while not stop.is_set():
        try:
            data, peer = sock.recvfrom(4096)
        except socket.timeout:
            continue
        packets.append(data)
        if len(data) < 20:
            continue
        mtype = struct.unpack_from("!H", data)[0]
        tid = data[8:20]
        mapped = attr(0x0020, xor_addr(peer[0], peer[1], tid))
        if mtype == 0x0001:
            sock.sendto(message(0x0101, tid, [mapped]), peer)
        elif mtype in (0x0003, 0x0004) and 0x0008 not in attributes(data):
            err = attr(0x0009, struct.pack("!HBB", 0, 4, 1) + b"Unauthorized")
            sock.sendto(message(mtype | 0x0110, tid, [err, attr(0x0014, REALM.encode()), attr(0x0015, NONCE.encode())]), peer)
        elif mtype == 0x0003:
            relayed = attr(0x0016, xor_addr("127.0.0.1", 50000, tid))
            sock.sendto(message(0x0103, tid, [relayed, mapped, attr(0x000D, struct.pack("!I", 600))], key), peer)
        elif mtype in (0x0004, 0x0008, 0x0009):
            sock.sendto(message(mtype | 0x0100, tid, [attr(0x000D, struct.pack("!I", 600))] if mtype == 4 else [], key), peer)


PAGE = """<!doctype html><meta charset=utf-8><title>capture</title><pre id=log></pre><script>
const pc = new RTCPeerConnection({iceServers: [
  {urls: 'stun:127.0.0.1:%(port)d'},
  {urls: 'turn:127.0.0.1:%(port)d?transport=udp', username: '%(user)s', credential: '%(password)s'}]});
pc.createDataChannel('capture');
pc.onicecandidate = e => { document.getElementById('log').textContent += (e.candidate ? e.candidate.candidate : 'done') + '\\n'; };
// A second connection answers, and a remote candidate at the capture port makes the first one send ICE checks there.
const pc2 = new RTCPeerConnection();
pc2.ondatachannel = () => {};
(async () => {
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  await pc2.setRemoteDescription(offer);
  const answer = await pc2.createAnswer();
  await pc2.setLocalDescription(answer);
  await pc.setRemoteDescription(answer);
  await pc.addIceCandidate({candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 %(port)d typ host', sdpMid: '0', sdpMLineIndex: 0});
})();
setTimeout(() => { pc.close(); pc2.close(); }, 6000);
</script>"""


def main():
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    udp.settimeout(0.2)
    port = udp.getsockname()[1]
    packets, stop = [], threading.Event()
    threading.Thread(target=serve_udp, args=(udp, packets, stop), daemon=True).start()

    page = (PAGE % {"port": port, "user": USER, "password": PASSWORD}).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/"

    profile = tempfile.mkdtemp(prefix="chromium-capture-")
    browser = subprocess.Popen(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                "--no-first-run", f"--user-data-dir={profile}", "--remote-debugging-port=0", url],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(float(os.environ.get("CAPTURE_SECONDS", "10")))
    finally:
        browser.terminate()
        browser.wait(10)
        stop.set()
        httpd.shutdown()
        shutil.rmtree(profile, ignore_errors=True)

    names = {0x0001: "binding-request", 0x0003: "allocate-request", 0x0004: "refresh-request",
             0x0008: "create-permission-request", 0x0009: "channel-bind-request", 0x0016: "send-indication"}
    os.makedirs(os.path.join(RESOURCES, "chromium"), exist_ok=True)
    os.makedirs(CORPUS, exist_ok=True)
    seen = {}
    for i, data in enumerate(packets):
        mtype = struct.unpack_from("!H", data)[0] if len(data) >= 2 else -1
        name = names.get(mtype, f"type-{mtype:04x}")
        if 0x0008 in attributes(data):
            name += "-with-integrity"
        seen[name] = seen.get(name, 0) + 1
        if seen[name] <= 3:  # a few of each kind keep the seed corpus small
            digest = hashlib.sha1(data).hexdigest()[:16]
            with open(os.path.join(CORPUS, f"chromium-{name}-{digest}"), "wb") as f:
                f.write(data)
        if seen[name] > 1:
            continue
        hexed = " ".join(f"{b:02x}" for b in data)
        lines = [hexed[k:k + 60].strip() for k in range(0, len(hexed), 60)]
        with open(os.path.join(RESOURCES, "chromium", name + ".hex"), "w") as f:
            f.write(f"# Captured from headless Chromium gathering candidates against 127.0.0.1 (capture_chromium.py).\n")
            f.write(f"# TURN credentials: username {USER!r}, password {PASSWORD!r}, realm {REALM!r}, nonce {NONCE!r}.\n")
            f.write("\n".join(lines) + "\n")
        print(f"{name}: {len(data)} bytes, attributes {[hex(t) for t in attributes(data)]}")
    print(f"{len(packets)} datagrams captured on port {port}")
    return 0 if seen else 1


if __name__ == "__main__":
    sys.exit(main())
