/**
 * Signaling client for Switchboard signaling protocol v1 (JSON text frames on WebSocket `/ws`, or the HTTP fallback
 * when WebSockets do not get through), with keep-alive, reconnect with exponential back-off, and session resume (the
 * `resume` token from `joined`).
 * @module switchboard/signaling
 */
import { SwitchboardError, ErrorCode, emit } from './errors.js';
import { SseSocket } from './sse.js';

/** WebSocket close code 1013 (RFC 6455 §7.4.1 registry): Try Again Later. */
const CLOSE_TRY_AGAIN_LATER = 1013;

/** Refusals that mean "not this server, not now" (a draining server, a node cut off from Redis): keep trying. */
const TRANSIENT_REFUSALS = new Set(['draining', 'unavailable', 'shutting-down']);

/** Connection states, in the order a healthy session goes through them. */
export const SignalingState = Object.freeze({
  IDLE: 'idle',
  CONNECTING: 'connecting',
  OPEN: 'open',
  RECONNECTING: 'reconnecting',
  CLOSED: 'closed',
});

/** Signals kept for re-sending after a resume (protocol v1 §7: `received` in `joined`). */
const RESEND_WINDOW = 256;

const DEFAULTS = Object.freeze({
  pingInterval: 10_000,
  pongTimeout: 5_000,
  joinTimeout: 10_000,
  reconnectMinDelay: 250,
  reconnectMaxDelay: 5_000,
});

/**
 * A member of a signaling session: joins one room, relays `signal` messages to other peers, and survives dropped
 * connections by resuming its session.
 *
 * Events (CustomEvent, payload in `detail`):
 * - `state` `{state, previous}` — see {@link SignalingState}
 * - `joined` — the server's `joined` message after the first join
 * - `resumed` — the `joined` message after a reconnect that kept our id (messages sent meanwhile follow)
 * - `rejoined` — the `joined` message after a reconnect that had to start a new session (new id)
 * - `reconnecting` `{attempt, delay, reason}`
 * - `waiting` `{attempt, delay, reason, message}` — the first join was refused for now (`draining`, `unavailable`,
 *   `shutting-down`); join() tries again after `delay` ms and resolves once the server takes it (leave() stops it)
 * - `peer-joined` `{id, name}`, `peer-left` `{id}`, `signal` `{from, data}`
 * - `error` — a {@link SwitchboardError} for an error the server sent outside a join
 * - `closed` `{reason}` — the session ended (leave, fatal error)
 */
export class SignalingClient extends EventTarget {
  #url;
  #room;
  #name;
  #token;
  #options;
  #WebSocket;
  #transports;
  #transport = 0;

  #ws = null;
  #state = SignalingState.IDLE;
  #id = null;
  #resumeToken = null;
  #iceServers = [];
  #peers = new Map();
  #nextMessageId = 1;
  #pending = new Map();
  #outbox = [];
  /** Deliveries (signal, peer-joined, peer-left) received since the first `joined` of this peer id. */
  #deliveries = 0;
  /** Signals written since the first `joined` of this peer id, and the most recent of them for re-sending. */
  #signalsWritten = 0;
  #recentSignals = [];
  #attempt = 0;
  #reconnectTimer = null;
  /** Ends the back-off wait of a first join early (leave() during the wait). */
  #wakeWaiting = null;
  #pingTimer = null;
  #pongTimer = null;
  #lastJoined = null;

  /**
   * @param {object} options
   * @param {string|URL} options.url WebSocket URL, e.g. `wss://example.org/ws`
   * @param {string} options.room room name, 1-64 of `[A-Za-z0-9_-]`
   * @param {string} [options.name] display name shown to other peers
   * @param {string} [options.token] room token, when the server asks for one
   * @param {number} [options.pingInterval] ms between keep-alive pings (default 10 s)
   * @param {number} [options.pongTimeout] ms without any message after a ping before the connection counts as dead
   * @param {number} [options.joinTimeout] ms to wait for `joined`
   * @param {number} [options.reconnectMinDelay] first reconnect delay in ms; doubles up to `reconnectMaxDelay`
   * @param {number} [options.reconnectMaxDelay]
   * @param {typeof WebSocket} [options.WebSocket] WebSocket implementation (defaults to the browser's)
   * @param {('ws'|'sse')[]} [options.transports] transports to try, in order (default WebSocket, then the HTTP
   *   fallback of protocol v1 §11: Server-Sent Events and POST)
   */
  constructor({
    url, room, name = '', token, WebSocket: WebSocketImpl = globalThis.WebSocket, transports = ['ws', 'sse'],
    ...options
  }) {
    super();
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(room ?? '')) {
      throw new SwitchboardError('invalid-room', 'A room name is 1 to 64 letters, digits, "-" or "_".');
    }
    this.#url = String(url);
    this.#room = room;
    this.#name = name;
    this.#token = token;
    this.#options = { ...DEFAULTS, ...options };
    this.#WebSocket = WebSocketImpl;
    this.#transports = transports.filter((t) => t === 'ws' || (t === 'sse' && globalThis.EventSource));
    if (this.#transports.length === 0) {
      throw new SwitchboardError(ErrorCode.UNSUPPORTED, 'No signaling transport is available in this browser.');
    }
  }

  /** Current {@link SignalingState}. */
  get state() { return this.#state; }
  /** Our peer id in the room (stable across resumes), or null before joining. */
  get id() { return this.#id; }
  get room() { return this.#room; }
  get name() { return this.#name; }
  /** The other peers in the room, by id: `{id, name}`. */
  get peers() { return new Map(this.#peers); }
  /** ICE servers from the latest `joined` message (fresh TURN credentials). */
  get iceServers() { return this.#iceServers; }
  /** The resume token from the latest `joined` message. */
  get resumeToken() { return this.#resumeToken; }
  /** Number of reconnect attempts since the connection was last open. */
  get reconnectAttempt() { return this.#attempt; }
  /** `ws` (WebSocket) or `sse` (the HTTP fallback: Server-Sent Events and POST). */
  get transport() { return this.#transports[this.#transport]; }

  /**
   * Opens the connection and joins the room.
   * @returns {Promise<object>} the server's `joined` message
   * @throws {SwitchboardError} `server-unreachable`, `timeout`, or the server's error code (e.g. `room-full`)
   */
  async join() {
    if (this.#state !== SignalingState.IDLE && this.#state !== SignalingState.CLOSED) {
      throw new SwitchboardError('invalid-state', `Cannot join while ${this.#state}.`);
    }
    this.#setState(SignalingState.CONNECTING);
    for (;;) {
      try {
        const joined = await this.#connectWithFallback(false);
        this.#attempt = 0;
        emit(this, 'joined', joined);
        return joined;
      } catch (error) {
        this.#teardownSocket();
        if (this.#state === SignalingState.CLOSED || !this.#isTransientRefusal(error)) {
          this.#setState(SignalingState.CLOSED);
          throw error;
        }
        // A draining node or one cut off from Redis: this server cannot take the join now, but will (or another will).
        this.#attempt += 1;
        const delay = this.#backoffDelay();
        emit(this, 'waiting', { attempt: this.#attempt, delay, reason: error.code, message: error.message });
        await new Promise((resolve) => { this.#reconnectTimer = setTimeout(resolve, delay); this.#wakeWaiting = resolve; });
        this.#wakeWaiting = null;
        if (this.#state === SignalingState.CLOSED) {
          throw new SwitchboardError('left', 'Stopped waiting to join: left before the server took the join.');
        }
      }
    }
  }

  /**
   * Sends `data` to peer `to`. While the connection is being re-established, messages wait in order and are sent once
   * the session is resumed. A signal to a peer that has left comes back as an `error` event with code
   * `unknown-peer` and `detail.peer`.
   */
  signal(to, data) {
    this.#send({ type: 'signal', to, data }, false);
  }

  /** Leaves the room and closes the connection for good. */
  leave() {
    if (this.#state === SignalingState.CLOSED || this.#state === SignalingState.IDLE) return;
    if (this.#ws?.readyState === 1) this.#ws.send(JSON.stringify({ type: 'leave' }));
    this.#close('left');
  }

  /**
   * Closes the WebSocket and reconnects at once. A browser cannot drop a connection without a close frame, and the
   * server treats a close frame as leaving (protocol v1 §6.7), so the client comes back as a new session (`rejoined`);
   * a real network cut keeps the session and ends in `resumed`. Also used when keep-alive pings go unanswered.
   */
  dropConnection() {
    if (this.#state !== SignalingState.OPEN) {
      this.#ws?.close(4000, 'dropped by client');
      return;
    }
    // Do not wait for a closing handshake that a dead connection would never complete.
    this.#teardownSocket();
    this.#scheduleReconnect('connection dropped');
  }

  /** Skips the remaining back-off delay and reconnects now (no effect unless reconnecting). */
  reconnectNow() {
    if (this.#state !== SignalingState.RECONNECTING) return;
    clearTimeout(this.#reconnectTimer);
    this.#reconnect();
  }

  // ---- connection ------------------------------------------------------------------------------------------------

  #connectAndJoin(resuming) {
    return new Promise((resolve, reject) => {
      let ws;
      try {
        ws = this.transport === 'sse' ? new SseSocket(this.#httpBase()) : new this.#WebSocket(this.#url);
      } catch (cause) {
        reject(new SwitchboardError(ErrorCode.SERVER_UNREACHABLE, `Bad signaling URL ${this.#url}.`, { cause }));
        return;
      }
      this.#ws = ws;
      let settled = false;
      const fail = (error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      };
      const timer = setTimeout(() => {
        fail(new SwitchboardError(ErrorCode.TIMEOUT, 'The signaling server did not answer in time.'));
        ws.close();
      }, this.#options.joinTimeout);

      ws.onopen = () => {
        const join = { type: 'join', room: this.#room };
        if (this.#name) join.name = this.#name;
        if (this.#token) join.token = this.#token;
        if (resuming && this.#resumeToken) {
          join.resume = this.#resumeToken;
          join.received = this.#deliveries;
        }
        const id = this.#messageId();
        join.id = id;
        this.#pending.set(id, {
          resolve: (joined) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve(this.#acceptJoined(joined));
          },
          reject: fail,
        });
        ws.send(JSON.stringify(join));
      };
      ws.onmessage = (event) => this.#onMessage(event.data);
      ws.onerror = () => { /* followed by close, handled there */ };
      ws.onclose = (event) => {
        if (this.#ws !== ws) return;
        this.#stopKeepAlive();
        this.#ws = null;
        if (!settled && event.code === CLOSE_TRY_AGAIN_LATER) {
          // Protocol v1: a cluster node without Redis closes a join with 1013; the same server will take it later.
          fail(new SwitchboardError('unavailable', 'The server cannot take the join now (1013 Try Again Later).',
            { detail: { fromServer: true, closeCode: event.code } }));
          return;
        }
        if (!settled) {
          fail(new SwitchboardError(ErrorCode.SERVER_UNREACHABLE,
            `Cannot reach the signaling server at ${new URL(this.#url).host}.`, { detail: { closeCode: event.code } }));
          return;
        }
        this.#onUnexpectedClose(event);
      };
    });
  }

  /**
   * Connects over the current transport; when the server cannot be reached that way (a proxy that blocks
   * WebSockets, say), tries the other transports before giving up.
   */
  async #connectWithFallback(resuming) {
    let lastError;
    for (let tried = 0; tried < this.#transports.length; tried++) {
      try {
        return await this.#connectAndJoin(resuming);
      } catch (error) {
        if (error.code !== ErrorCode.SERVER_UNREACHABLE && error.code !== ErrorCode.TIMEOUT) throw error;
        lastError = error;
        this.#teardownSocket();
        this.#transport = (this.#transport + 1) % this.#transports.length;
      }
    }
    throw lastError;
  }

  #httpBase() {
    const base = new URL(this.#url);
    base.protocol = base.protocol === 'wss:' ? 'https:' : 'http:';
    base.pathname = '/';
    return base.href;
  }

  #acceptJoined(joined) {
    const previousId = this.#id;
    if (!joined.resumed) {
      this.#deliveries = 0;
      this.#signalsWritten = 0;
      this.#recentSignals = [];
    }
    this.#id = joined.id;
    this.#resumeToken = joined.resume ?? null;
    this.#iceServers = Array.isArray(joined.iceServers) ? joined.iceServers : [];
    this.#lastJoined = joined;
    this.#peers = new Map((joined.peers ?? []).map((p) => [p.id, { id: p.id, name: p.name ?? '' }]));
    this.#attempt = 0;
    this.#setState(SignalingState.OPEN);
    this.#startKeepAlive();
    return { ...joined, previousId };
  }

  #onUnexpectedClose(event) {
    if (this.#state === SignalingState.CLOSED) return;
    if (event.code === 1008 || event.code === 4000) {
      this.#fail(new SwitchboardError('policy-violation', event.reason || 'The server closed the connection.'));
      return;
    }
    this.#scheduleReconnect(event.reason || `connection closed (${event.code})`);
  }

  #scheduleReconnect(reason) {
    this.#setState(SignalingState.RECONNECTING);
    this.#attempt += 1;
    const delay = this.#backoffDelay();
    emit(this, 'reconnecting', { attempt: this.#attempt, delay, reason });
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => this.#reconnect(), delay);
  }

  /** Exponential back-off with jitter for attempt number `#attempt` (1, 2, ...), capped at `reconnectMaxDelay`. */
  #backoffDelay() {
    const base = Math.min(this.#options.reconnectMaxDelay,
      this.#options.reconnectMinDelay * 2 ** Math.min(this.#attempt - 1, 10));
    return Math.round(base * (0.75 + Math.random() * 0.5));
  }

  #isTransientRefusal(error) {
    return error instanceof SwitchboardError && error.detail?.fromServer && TRANSIENT_REFUSALS.has(error.code);
  }

  async #reconnect() {
    if (this.#state !== SignalingState.RECONNECTING) return;
    const previousPeers = this.#peers;
    try {
      let joined;
      try {
        joined = await this.#connectWithFallback(true);
      } catch (error) {
        if (!this.#isResumeRefusal(error)) throw error;
        // The grace period is over or the token is unknown: start a new session in the same room.
        this.#teardownSocket();
        this.#resumeToken = null;
        joined = await this.#connectAndJoin(false);
      }
      const resumed = joined.resumed ?? joined.id === joined.previousId;
      if (resumed) {
        this.#resendUnaccepted(Number(joined.received ?? this.#signalsWritten));
      } else {
        this.#outbox = [];
      }
      this.#flushOutbox();
      this.#reconcilePeers(previousPeers, resumed);
      emit(this, resumed ? 'resumed' : 'rejoined', joined);
    } catch (error) {
      this.#teardownSocket();
      if (this.#state === SignalingState.CLOSED) return;
      if (error instanceof SwitchboardError && error.detail?.fromServer && !this.#isTransientRefusal(error)) {
        this.#fail(error);
      } else {
        this.#scheduleReconnect(error.message);
      }
    }
  }

  #isResumeRefusal(error) {
    return error instanceof SwitchboardError && error.detail?.fromServer && error.code === 'resume-failed';
  }

  /** Emits the peer changes between the peer list before the drop and the one in the new `joined` message. */
  #reconcilePeers(previous, resumed) {
    for (const [id] of previous) {
      if (!this.#peers.has(id)) emit(this, 'peer-left', { id });
    }
    if (!resumed) return;
    for (const [id, peer] of this.#peers) {
      if (!previous.has(id)) emit(this, 'peer-joined', peer);
    }
  }

  // ---- messages --------------------------------------------------------------------------------------------------

  #onMessage(text) {
    this.#armPongTimer(false);
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (!message || typeof message.type !== 'string') return;
    const pending = message.id !== undefined ? this.#pending.get(String(message.id)) : undefined;
    switch (message.type) {
      case 'joined':
        if (pending) {
          this.#pending.delete(String(message.id));
          pending.resolve(message);
        } else if (this.#state === SignalingState.CONNECTING || this.#state === SignalingState.RECONNECTING) {
          const first = [...this.#pending.values()][0];
          this.#pending.clear();
          first?.resolve(message);
        }
        break;
      case 'peer-joined': {
        this.#deliveries += 1;
        const peer = { id: message.peer?.id, name: message.peer?.name ?? '' };
        if (!peer.id || peer.id === this.#id) break;
        const known = this.#peers.has(peer.id);
        this.#peers.set(peer.id, peer);
        if (!known) emit(this, 'peer-joined', peer);
        break;
      }
      case 'peer-left':
        this.#deliveries += 1;
        if (this.#peers.delete(message.id)) emit(this, 'peer-left', { id: message.id });
        break;
      case 'signal':
        this.#deliveries += 1;
        if (message.from && !this.#peers.has(message.from)) {
          const peer = { id: message.from, name: '' };
          this.#peers.set(peer.id, peer);
          emit(this, 'peer-joined', peer);
        }
        emit(this, 'signal', { from: message.from, data: message.data });
        break;
      case 'pong':
        if (pending) this.#pending.delete(String(message.id));
        break;
      case 'error': {
        const error = new SwitchboardError(message.code ?? 'error', message.message ?? 'The server reported an error.',
          { detail: { fromServer: true, id: message.id, peer: message.peer } });
        if (pending) {
          this.#pending.delete(String(message.id));
          pending.reject(error);
        } else if (message.code === 'session-replaced') {
          // Another connection resumed this session (another tab with our token): this one must stop.
          this.#fail(error);
        } else if (message.code === 'unknown-peer') {
          emit(this, 'error', error);
        } else if (this.#state === SignalingState.CONNECTING && this.#pending.size > 0) {
          const first = [...this.#pending.values()][0];
          this.#pending.clear();
          first.reject(error);
        } else {
          emit(this, 'error', error);
        }
        break;
      }
      default:
        break;
    }
  }

  #send(message, withId = true) {
    if (this.#state === SignalingState.CLOSED || this.#state === SignalingState.IDLE) {
      throw new SwitchboardError(ErrorCode.CLOSED, 'Not connected to a room.');
    }
    const id = withId ? this.#messageId() : undefined;
    const out = withId ? { ...message, id } : message;
    if (this.#state === SignalingState.OPEN && this.#ws?.readyState === 1) {
      this.#write(out);
    } else {
      this.#outbox.push(out);
    }
    return id;
  }

  /** Writes a message; signals are counted and kept so that those lost in a dying connection can be re-sent. */
  #write(message) {
    this.#ws.send(JSON.stringify(message));
    if (message.type !== 'signal') return;
    this.#recentSignals.push({ seq: this.#signalsWritten, message });
    this.#signalsWritten += 1;
    if (this.#recentSignals.length > RESEND_WINDOW) this.#recentSignals.shift();
  }

  /** After a resume: re-sends the signals written after the `accepted` ones the server says it got. */
  #resendUnaccepted(accepted) {
    const lost = this.#recentSignals.filter((entry) => entry.seq >= accepted);
    this.#recentSignals = this.#recentSignals.filter((entry) => entry.seq < accepted);
    this.#signalsWritten = Math.min(this.#signalsWritten, accepted);
    for (const { message } of lost) this.#write(message);
  }

  #flushOutbox() {
    const queued = this.#outbox;
    this.#outbox = [];
    for (const message of queued) this.#write(message);
  }

  #messageId() {
    return `c${this.#nextMessageId++}`;
  }

  // ---- keep-alive ------------------------------------------------------------------------------------------------

  #startKeepAlive() {
    this.#stopKeepAlive();
    this.#pingTimer = setInterval(() => {
      if (this.#ws?.readyState !== 1) return;
      this.#ws.send(JSON.stringify({ type: 'ping', id: this.#messageId() }));
      this.#armPongTimer(true);
    }, this.#options.pingInterval);
  }

  #armPongTimer(waiting) {
    clearTimeout(this.#pongTimer);
    this.#pongTimer = null;
    if (!waiting) return;
    this.#pongTimer = setTimeout(() => this.dropConnection(), this.#options.pongTimeout);
  }

  #stopKeepAlive() {
    clearInterval(this.#pingTimer);
    clearTimeout(this.#pongTimer);
    this.#pingTimer = null;
    this.#pongTimer = null;
  }

  // ---- teardown --------------------------------------------------------------------------------------------------

  #teardownSocket() {
    this.#stopKeepAlive();
    const ws = this.#ws;
    this.#ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      if (ws.readyState === 0 || ws.readyState === 1) ws.close();
    }
    for (const pending of this.#pending.values()) {
      pending.reject(new SwitchboardError(ErrorCode.CLOSED, 'The connection closed.'));
    }
    this.#pending.clear();
  }

  #fail(error) {
    emit(this, 'error', error);
    this.#close(error.code);
  }

  #close(reason) {
    clearTimeout(this.#reconnectTimer);
    this.#wakeWaiting?.();
    this.#teardownSocket();
    this.#outbox = [];
    this.#setState(SignalingState.CLOSED);
    emit(this, 'closed', { reason });
  }

  #setState(state) {
    if (state === this.#state) return;
    const previous = this.#state;
    this.#state = state;
    emit(this, 'state', { state, previous });
  }
}

/** The WebSocket URL of the signaling endpoint of the server at `base` (an http(s) URL; defaults to this page). */
export function signalingUrl(base = globalThis.location?.href) {
  const url = new URL('/ws', base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}
