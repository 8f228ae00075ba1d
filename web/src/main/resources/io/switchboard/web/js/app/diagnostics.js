/**
 * Connection diagnostics: checks the browser, the signaling WebSocket, the ICE server list, then each STUN/TURN URL
 * on its own — gathering candidates with only that server (relay-only for TURN) and, for TURN, sending data through
 * the relay between two local peer connections. Results are shown in plain words and downloadable as JSON.
 */
import { fetchIceServers, listIceUrls, signalingUrl, VERSION } from '../switchboard.js';
import { $, h, alertBox, downloadJson, formatMs } from './ui.js';
import { hydrateIcons, icon } from './icons.js';

const GATHER_TIMEOUT_MS = 10_000;
const RELAY_TEST_TIMEOUT_MS = 10_000;

/** Words for the error codes of icecandidateerror (STUN/TURN error codes, plus 701 for "no answer"). */
const ICE_ERRORS = {
  300: 'redirected to another server', 400: 'bad request', 401: 'credentials refused', 403: 'forbidden by policy',
  420: 'unknown attribute', 437: 'allocation mismatch', 438: 'stale nonce', 440: 'address family not supported',
  441: 'wrong credentials', 442: 'transport not supported', 486: 'allocation quota reached',
  500: 'server error', 508: 'server out of capacity', 701: 'no answer (server unreachable or traffic blocked)',
};

const STATUS_TEXT = { running: 'Checking…', ok: 'Works', warn: 'Partly', fail: 'Fails', skipped: 'Skipped' };

class Check {
  constructor(id, title, subtitle = '') {
    this.id = id;
    this.title = title;
    this.subtitle = subtitle;
    this.status = 'running';
    this.summary = '';
    this.candidates = [];
    this.errors = [];
    this.details = {};
    this.pill = h('span', { class: 'status-pill running status', 'data-testid': 'check-status' });
    this.body = h('div', { class: 'check-body', 'data-testid': 'check-summary' });
    this.table = h('div', { class: 'table-wrap' });
    this.el = h('section', { class: 'check card', 'data-testid': `check-${id}`, 'data-status': 'running',
      'aria-labelledby': `check-title-${id}` },
    h('div', { class: 'check-head' },
      h('div', {}, h('h2', { id: `check-title-${id}`, text: title }),
        subtitle ? h('div', { class: 'url', text: subtitle }) : null),
      this.pill),
    this.body, this.table);
    this.render();
  }

  finish(status, summary, details = {}) {
    this.status = status;
    this.summary = summary;
    Object.assign(this.details, details);
    this.render();
  }

  render() {
    this.el.dataset.status = this.status;
    this.pill.className = `status-pill status ${this.status}`;
    this.pill.replaceChildren(
      this.status === 'running' ? h('span', { class: 'spinner', style: 'width:12px;height:12px' })
        : icon({ ok: 'check-circle', warn: 'alert', fail: 'x-circle', skipped: 'info' }[this.status], 'sm'),
      STATUS_TEXT[this.status]);
    this.body.textContent = this.summary || (this.status === 'running' ? 'Running…' : '');
    if (this.candidates.length > 0 || this.errors.length > 0) {
      this.table.replaceChildren(candidateTable(this.candidates, this.errors));
    }
  }

  toJSON() {
    return { id: this.id, title: this.title, target: this.subtitle, status: this.status, summary: this.summary,
      candidates: this.candidates, errors: this.errors, details: this.details };
  }
}

function related(c) {
  return c.relatedAddress && c.relatedAddress !== '0.0.0.0' ? `${c.relatedAddress}:${c.relatedPort}` : '—';
}

function describeError(e) {
  const from = e.address ? ` (from ${e.address}:${e.port})` : '';
  return `${e.errorCode} ${ICE_ERRORS[e.errorCode] ?? e.errorText ?? ''}${from}`;
}

function candidateTable(candidates, errors) {
  const rows = candidates.map((c) => h('tr', { 'data-testid': 'candidate', 'data-type': c.type,
    'data-protocol': c.protocol, 'data-relay-protocol': c.relayProtocol ?? '' },
  h('td', {}, h('span', { class: `type-tag ${c.type}`, text: c.type })),
  h('td', { text: c.protocol.toUpperCase() + (c.tcpType ? ` (${c.tcpType})` : '') }),
  h('td', { class: 'mono', text: `${c.address}:${c.port}` }),
  h('td', { class: 'mono', text: related(c) }),
  h('td', { text: c.relayProtocol ? c.relayProtocol.toUpperCase() : '—' }),
  h('td', { text: formatMs(c.ms) })));
  const errorRows = errors.map((e) => h('tr', { 'data-testid': 'candidate-error' },
    h('td', {}, h('span', { class: 'type-tag error', text: 'error' })),
    h('td', { colspan: 4, text: describeError(e) }),
    h('td', { text: formatMs(e.ms) })));
  return h('table', { class: 'candidates' },
    h('thead', {}, h('tr', {}, ...['Type', 'Protocol', 'Address', 'Base / related', 'To TURN over', 'Gathered after']
      .map((t) => h('th', { scope: 'col', text: t })))),
    h('tbody', {}, ...rows, ...errorRows));
}

/** Gathers candidates with one ICE server. */
async function gather(iceServer, relayOnly) {
  const pc = new RTCPeerConnection({ iceServers: [iceServer], iceTransportPolicy: relayOnly ? 'relay' : 'all' });
  const candidates = [];
  const errors = [];
  const started = performance.now();
  pc.createDataChannel('diagnostics');
  const complete = new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), GATHER_TIMEOUT_MS);
    pc.onicegatheringstatechange = () => {
      if (pc.iceGatheringState === 'complete') {
        clearTimeout(timer);
        resolve(true);
      }
    };
    pc.onicecandidate = ({ candidate }) => {
      if (!candidate) {
        clearTimeout(timer);
        resolve(true);
        return;
      }
      if (!candidate.candidate) return;
      candidates.push({
        type: candidate.type, protocol: candidate.protocol, address: candidate.address ?? '(hidden)',
        port: candidate.port, relatedAddress: candidate.relatedAddress, relatedPort: candidate.relatedPort,
        tcpType: candidate.tcpType, relayProtocol: candidate.relayProtocol ?? null,
        ms: performance.now() - started, candidate: candidate.candidate,
      });
    };
  });
  pc.onicecandidateerror = (event) => {
    errors.push({ errorCode: event.errorCode, errorText: event.errorText, url: event.url, address: event.address,
      port: event.port, ms: performance.now() - started });
  };
  await pc.setLocalDescription(await pc.createOffer());
  const finished = await complete;
  pc.close();
  return { candidates, errors, finished, ms: performance.now() - started };
}

/** Connects two local peer connections through the relay of `iceServer` and times a few data channel round trips. */
async function relayRoundTrip(iceServer) {
  const config = { iceServers: [iceServer], iceTransportPolicy: 'relay' };
  const a = new RTCPeerConnection(config);
  const b = new RTCPeerConnection(config);
  a.onicecandidate = ({ candidate }) => candidate && b.addIceCandidate(candidate).catch(() => {});
  b.onicecandidate = ({ candidate }) => candidate && a.addIceCandidate(candidate).catch(() => {});
  const channel = a.createDataChannel('echo');
  b.ondatachannel = ({ channel: echo }) => { echo.onmessage = ({ data }) => echo.send(data); };
  const started = performance.now();
  try {
    await a.setLocalDescription();
    await b.setRemoteDescription(a.localDescription);
    await b.setLocalDescription();
    await a.setRemoteDescription(b.localDescription);
    await withTimeout(new Promise((resolve, reject) => {
      channel.onopen = resolve;
      a.onconnectionstatechange = () => { if (a.connectionState === 'failed') reject(new Error('ICE failed')); };
    }), RELAY_TEST_TIMEOUT_MS, 'the relayed connection did not open');
    const connectMs = performance.now() - started;
    const rtts = [];
    for (let i = 0; i < 5; i++) {
      const sent = performance.now();
      await withTimeout(new Promise((resolve) => { channel.onmessage = resolve; channel.send(`ping ${i}`); }),
        3000, 'no echo through the relay');
      rtts.push(performance.now() - sent);
    }
    const stats = await a.getStats();
    let pair = null;
    stats.forEach((s) => {
      if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId);
    });
    const local = pair ? stats.get(pair.localCandidateId) : null;
    const remote = pair ? stats.get(pair.remoteCandidateId) : null;
    return {
      ok: true, connectMs, rtt: rtts.reduce((x, y) => x + y, 0) / rtts.length,
      localType: local?.candidateType, remoteType: remote?.candidateType, relayProtocol: local?.relayProtocol,
    };
  } catch (error) {
    return { ok: false, error: error.message };
  } finally {
    a.close();
    b.close();
  }
}

function withTimeout(promise, ms, message) {
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(message)), ms))]);
}

async function checkBrowser(check) {
  const missing = [];
  if (!globalThis.RTCPeerConnection) missing.push('WebRTC (RTCPeerConnection)');
  if (!globalThis.WebSocket) missing.push('WebSocket');
  if (!globalThis.crypto?.subtle) missing.push('WebCrypto (file checks)');
  const camera = Boolean(navigator.mediaDevices?.getUserMedia);
  check.details = { userAgent: navigator.userAgent, secureContext: isSecureContext, camera };
  if (missing.length > 0) {
    check.finish('fail', `This browser lacks ${missing.join(', ')}; calls cannot work here. Use a current Chrome, `
      + 'Edge, Firefox or Safari.');
  } else if (!camera) {
    check.finish('warn', 'WebRTC works, but this page cannot use the camera: browsers only allow it over HTTPS or on '
      + 'localhost. You can still watch, listen and chat.');
  } else {
    check.finish('ok', 'WebRTC, data channels, camera access and WebCrypto are available.');
  }
}

async function checkSignaling(check) {
  const url = signalingUrl(location.href);
  const started = performance.now();
  try {
    const ws = new WebSocket(url);
    await withTimeout(new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error('the connection was refused or blocked'));
    }), 8000, 'no answer within 8 s');
    const openMs = performance.now() - started;
    const sent = performance.now();
    await withTimeout(new Promise((resolve) => {
      ws.onmessage = ({ data }) => {
        try {
          if (JSON.parse(data).type === 'pong') resolve();
        } catch {
          // not ours
        }
      };
      ws.send(JSON.stringify({ type: 'ping', id: 'diagnostics' }));
    }), 5000, 'no pong within 5 s');
    const rtt = performance.now() - sent;
    ws.close();
    check.finish('ok', `Connected in ${formatMs(openMs)}; a ping came back in ${formatMs(rtt)}.`,
      { url, openMs, rtt });
  } catch (error) {
    check.finish('fail', `Cannot talk to the signaling server at ${url}: ${error.message}. Without it nobody can `
      + 'join a room. A proxy or firewall that blocks WebSockets would do this.', { url });
  }
}

function describeErrors(errors) {
  const codes = [...new Set(errors.map((e) => e.errorCode))];
  return codes.map((code) => `${code} ${ICE_ERRORS[code] ?? ''}`.trim()).join(', ');
}

async function checkStun(check, server) {
  const result = await gather(server, false);
  check.candidates = result.candidates;
  check.errors = result.errors;
  const srflx = result.candidates.filter((c) => c.type === 'srflx');
  const host = result.candidates.filter((c) => c.type === 'host');
  const unreachable = result.errors.some((e) => e.errorCode === 701);
  if (srflx.length > 0) {
    const first = srflx[0];
    check.finish('ok', `Works. The server sees you at ${first.address}:${first.port} (after ${formatMs(first.ms)}); `
      + 'direct calls can use this address.', { srflx: srflx.length });
  } else if (!unreachable && result.finished) {
    check.finish('ok', 'Reachable. The server sees the same address as your device, so there is no NAT in between'
      + `; ${host.length} local candidate${host.length === 1 ? '' : 's'} gathered.`, { srflx: 0 });
  } else {
    check.finish('fail', `No answer from the STUN server (${describeErrors(result.errors) || 'timed out'}). UDP to it `
      + 'is probably blocked; calls need TURN from this network.', { srflx: 0 });
  }
}

async function checkTurn(check, server, parsed) {
  const result = await gather(server, true);
  check.candidates = result.candidates;
  check.errors = result.errors;
  const relays = result.candidates.filter((c) => c.type === 'relay');
  // Not every browser fills relayProtocol in; with a single TURN URL it can only be that URL's transport.
  relays.forEach((c) => { c.relayProtocol ??= parsed.kind; });
  if (relays.length === 0) {
    const why = describeErrors(result.errors) || (result.finished ? 'no relay address was given' : 'timed out');
    const advice = {
      udp: 'UDP may be blocked here; TURN over TCP or TLS can get through instead.',
      tcp: 'This port may be blocked by a firewall or proxy.',
      tls: 'Either the port is blocked, or this browser does not trust the server\'s certificate: browsers refuse a '
        + 'self-signed certificate (the server\'s default) for TURN over TLS. Give the server a certificate from a '
        + 'public CA (--tls-cert, --tls-key).',
    }[parsed.kind];
    check.finish('fail', `Does not work: ${why}. ${advice}`, { relay: 0 });
    return;
  }
  const first = relays[0];
  check.summary = `Relay address ${first.address}:${first.port} after ${formatMs(first.ms)}. `
    + 'Sending data through it…';
  check.render();
  const trip = await relayRoundTrip(server);
  if (trip.ok) {
    check.finish('ok', `Works. Relay address ${first.address}:${first.port} after ${formatMs(first.ms)}; data went `
      + `through the relay (connected in ${formatMs(trip.connectMs)}, round trip ${formatMs(trip.rtt)}).`,
    { relay: relays.length, relayTest: trip });
  } else {
    check.finish('warn', `Partly: the server gave relay address ${first.address}:${first.port}, but data did not get `
      + `through it (${trip.error}).`, { relay: relays.length, relayTest: trip });
  }
}

function summarize(checks) {
  const by = (pred) => checks.filter(pred);
  const signaling = checks.find((c) => c.id === 'signaling');
  const turns = by((c) => c.id.startsWith('turn'));
  const okTurns = turns.filter((c) => c.status === 'ok');
  const stunOk = by((c) => c.id.startsWith('stun') && c.status === 'ok').length > 0;
  if (checks.find((c) => c.id === 'browser')?.status === 'fail') {
    return { kind: 'error', title: 'This browser cannot make calls', text: 'See the first check for what is missing.' };
  }
  if (signaling?.status !== 'ok') {
    return { kind: 'error', title: 'Calls cannot start from here',
      text: 'The signaling server cannot be reached, so nobody can join a room. Check the network or proxy.' };
  }
  if (okTurns.length === turns.length && turns.length > 0) {
    return { kind: 'ok', title: 'Everything works',
      text: `Signaling${stunOk ? ', STUN' : ''} and TURN over ${okTurns.map((c) => c.details.transport).join(', ')} `
        + 'all work. Calls will connect, directly when possible and through the relay otherwise.' };
  }
  if (okTurns.length > 0) {
    return { kind: 'warn', title: 'Calls will work, through part of the relay',
      text: `TURN works over ${okTurns.map((c) => c.details.transport).join(', ')} but not over `
        + `${turns.filter((c) => c.status !== 'ok').map((c) => c.details.transport).join(', ')}. `
        + 'Calls still connect.' };
  }
  if (turns.length === 0) {
    return { kind: stunOk ? 'warn' : 'error', title: 'This server offers no TURN relay',
      text: 'Calls between people behind strict NATs or firewalls will fail.' };
  }
  return { kind: stunOk ? 'warn' : 'error', title: stunOk ? 'Direct calls only' : 'Calls will likely fail',
    text: stunOk ? 'STUN works but no TURN relay does: calls connect only when a direct path exists.'
      : 'Neither STUN nor TURN gets through from this network.' };
}

async function run() {
  const runButton = $('#run');
  const downloadButton = $('#download');
  runButton.disabled = true;
  downloadButton.disabled = true;
  document.body.dataset.diagnostics = 'running';
  const host = $('#checks');
  host.replaceChildren();
  $('#summary').replaceChildren(alertBox({ kind: 'info', title: 'Running checks…',
    text: 'This takes a few seconds.' }));
  const checks = [];
  const add = (check) => {
    checks.push(check);
    host.append(check.el);
    return check;
  };

  await checkBrowser(add(new Check('browser', 'Browser', navigator.userAgent)));
  await checkSignaling(add(new Check('signaling', 'Signaling (WebSocket)', signalingUrl(location.href))));

  const list = add(new Check('ice-servers', 'ICE servers', new URL('/api/ice-servers', location.href).href));
  let iceServers = [];
  try {
    const body = await fetchIceServers(location.href);
    iceServers = body.iceServers;
    const urls = listIceUrls(iceServers);
    list.finish(urls.length > 0 ? 'ok' : 'fail', urls.length > 0
      ? `The server offers ${urls.length} URL${urls.length === 1 ? '' : 's'} with credentials valid for `
        + `${Math.round((body.ttl ?? 0) / 3600)} h: ${urls.map((u) => u.url).join(', ')}.`
      : 'The server offers no STUN or TURN URLs.', { ttl: body.ttl, urls: urls.map((u) => u.url) });
  } catch (error) {
    list.finish('fail', `Cannot get the ICE server list: ${error.message}`);
  }

  const seen = new Map();
  const probes = [];
  for (const url of listIceUrls(iceServers)) {
    const base = url.relay ? `${url.scheme === 'turns' ? 'turns' : 'turn'}-${url.kind}` : `stun-${url.transport}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    const id = count === 1 ? base : `${base}-${count}`;
    const title = url.relay ? `TURN over ${url.kind.toUpperCase()}` : `STUN over ${url.transport.toUpperCase()}`;
    const check = add(new Check(id, title, url.url));
    check.details.transport = url.kind.toUpperCase();
    const server = { urls: url.url, username: url.username, credential: url.credential };
    probes.push(url.relay ? checkTurn(check, server, url) : checkStun(check, server));
  }
  await Promise.all(probes);

  const verdict = summarize(checks);
  const summary = alertBox({ kind: verdict.kind, title: verdict.title, text: verdict.text, testid: 'verdict' });
  summary.dataset.kind = verdict.kind;
  $('#summary').replaceChildren(summary);
  report = { version: VERSION, page: location.href, at: new Date().toISOString(), verdict,
    checks: checks.map((c) => c.toJSON()) };
  runButton.disabled = false;
  downloadButton.disabled = false;
  document.body.dataset.diagnostics = 'done';
  return report;
}

let report = null;
let running = null;

hydrateIcons();
$('#run').addEventListener('click', () => { running = run(); });
$('#download').addEventListener('click', () => {
  if (report) downloadJson(`switchboard-diagnostics-${report.at.replace(/[:.]/g, '-')}.json`, report);
});

/** Hook for support and tests: `done()` resolves with the report of the current run; `report()` returns the last. */
window.switchboardDiagnostics = Object.freeze({
  done: () => running,
  report: () => report,
});

running = run();
