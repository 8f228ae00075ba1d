/**
 * ICE server configuration: fetching ephemeral TURN credentials from `GET /api/ice-servers` and narrowing the list to
 * one TURN transport (so a page can force TURN over TCP, for instance).
 * @module switchboard/ice
 */
import { SwitchboardError, ErrorCode } from './errors.js';

/** TURN transports a page can ask for. `any` keeps every URL the server offers. */
export const TurnTransport = Object.freeze({ ANY: 'any', UDP: 'udp', TCP: 'tcp', TLS: 'tls' });

/**
 * Fetches ICE servers with fresh TURN credentials.
 * @param {string|URL} [base] server base URL (defaults to this page)
 * @param {{user?: string, signal?: AbortSignal}} [options]
 * @returns {Promise<{username: string, password: string, ttl: number, uris: string[], iceServers: RTCIceServer[]}>}
 */
export async function fetchIceServers(base = globalThis.location?.href, { user, signal } = {}) {
  const url = new URL('/api/ice-servers', base);
  if (user) url.searchParams.set('user', user);
  let response;
  try {
    response = await fetch(url, { cache: 'no-store', signal });
  } catch (cause) {
    throw new SwitchboardError(ErrorCode.SERVER_UNREACHABLE, `Cannot reach ${url.host} for ICE servers.`, { cause });
  }
  if (!response.ok) {
    throw new SwitchboardError('ice-servers-unavailable',
      `The server answered ${response.status} for ICE servers.`, { detail: { status: response.status } });
  }
  const body = await response.json();
  return { ...body, iceServers: Array.isArray(body.iceServers) ? body.iceServers : [] };
}

/** Parses a STUN/TURN URI (RFC 7064/7065) into `{scheme, host, port, transport}`; transport defaults per scheme. */
export function parseIceUrl(url) {
  const match = /^(stuns?|turns?):(\[[^\]]+\]|[^:?]+)(?::(\d+))?(?:\?transport=(udp|tcp))?$/i.exec(url.trim());
  if (!match) return null;
  const scheme = match[1].toLowerCase();
  const secure = scheme.endsWith('s');
  const transport = (match[4] ?? (secure ? 'tcp' : 'udp')).toLowerCase();
  return {
    url,
    scheme,
    host: match[2],
    port: match[3] ? Number(match[3]) : (secure ? 5349 : 3478),
    transport,
    relay: scheme.startsWith('turn'),
    secure,
    /** `udp`, `tcp` or `tls`: what the browser speaks to the server. */
    kind: secure ? 'tls' : transport,
  };
}

/**
 * Keeps only the TURN URLs that use `transport` (STUN URLs stay). With `any`, the list is returned unchanged.
 * @param {RTCIceServer[]} iceServers
 * @param {'any'|'udp'|'tcp'|'tls'} transport
 * @returns {RTCIceServer[]}
 * @throws {SwitchboardError} `no-matching-turn` when the server offers no TURN URL with that transport
 */
export function filterIceServers(iceServers, transport = TurnTransport.ANY) {
  if (transport === TurnTransport.ANY) return iceServers;
  let turnLeft = 0;
  const filtered = [];
  for (const server of iceServers) {
    const urls = (Array.isArray(server.urls) ? server.urls : [server.urls]).filter((u) => {
      const parsed = parseIceUrl(u);
      if (!parsed || !parsed.relay) return true;
      return parsed.kind === transport;
    });
    turnLeft += urls.filter((u) => parseIceUrl(u)?.relay).length;
    if (urls.length > 0) filtered.push({ ...server, urls });
  }
  if (turnLeft === 0) {
    throw new SwitchboardError(ErrorCode.NO_MATCHING_TURN,
      `This server offers no TURN over ${transport.toUpperCase()}.`, { detail: { transport } });
  }
  return filtered;
}

/** Every URL of an ICE server list, parsed, one entry per URL with its credentials. */
export function listIceUrls(iceServers) {
  return iceServers.flatMap((server) => (Array.isArray(server.urls) ? server.urls : [server.urls])
    .map((u) => ({ ...parseIceUrl(u), username: server.username, credential: server.credential }))
    .filter((u) => u.scheme));
}
