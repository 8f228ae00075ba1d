/**
 * Switchboard JavaScript SDK: video calls in a mesh over Switchboard signaling protocol v1, with chat and file
 * transfer on data channels and live getStats summaries. Plain ES module, no build step.
 *
 *   import { Call, openLocalMedia } from '/js/switchboard.js';
 *   const call = new Call({ room: 'standup', name: 'Ada', localStream: await openLocalMedia() });
 *   call.addEventListener('peer-added', ({ detail: peer }) => video.srcObject = peer.stream);
 *   await call.join();
 *
 * See docs/CLIENT.md for the whole API.
 * @module switchboard
 */
import { SwitchboardError, ErrorCode, emit } from './sdk/errors.js';
import { SignalingClient, SignalingState, signalingUrl } from './sdk/signaling.js';
import { fetchIceServers, filterIceServers, TurnTransport } from './sdk/ice.js';
import { RemotePeer } from './sdk/peer.js';
import { openScreen } from './sdk/media.js';

export { SwitchboardError, ErrorCode } from './sdk/errors.js';
export { SignalingClient, SignalingState, signalingUrl } from './sdk/signaling.js';
export { fetchIceServers, filterIceServers, parseIceUrl, listIceUrls, TurnTransport } from './sdk/ice.js';
export { RemotePeer } from './sdk/peer.js';
export { FileTransfer, FileChannel, sha256Hex, CHUNK_SIZE, MAX_FILE_SIZE } from './sdk/files.js';
export { StatsSampler, summarizeStats } from './sdk/stats.js';
export { openLocalMedia, openScreen, listDevices, mediaError, stopStream, VideoQuality } from './sdk/media.js';

export const VERSION = '0.1.0';

/** Life cycle of a {@link Call}. */
export const CallState = Object.freeze({
  IDLE: 'idle',
  JOINING: 'joining',
  JOINED: 'joined',
  RECONNECTING: 'reconnecting',
  LEFT: 'left',
  FAILED: 'failed',
});

/**
 * A seat in one room: a signaling session plus one {@link RemotePeer} per other member (full mesh).
 *
 * Events (CustomEvent; payload in `detail`):
 * - `state` `{state, previous}` — see {@link CallState}
 * - `peer-added`, `peer-removed`, `peer-updated` — a RemotePeer (updated: connection state, media state, track);
 *   a removed peer's `closeReason` says why: `left`, `hangup` or `reset` (replaced, see `peer-reset`)
 * - `peer-reset` `{peer, previous}` — the connection to a peer was rebuilt (after setIcePolicy, on either side)
 * - `peer-failed` `{peer, error}` — ICE could not connect even after restarts
 * - `peer-slow` `{peer}` — still not connected after 15 s
 * - `chat` `{id, text, ts, from, name, self}`
 * - `transfer` — a new FileTransfer (either direction); listen on it for `progress`, `done`, `failed`
 * - `stats` `{peer, sample}`
 * - `reconnecting` `{attempt, delay, reason}`, `resumed`, `rejoined` — the signaling connection dropped and came back
 * - `waiting` `{attempt, delay, reason, message}` — join() was refused for now (a draining server, a node without
 *   Redis) and tries again by itself
 * - `error` — a SwitchboardError that did not end the call
 * - `ended` `{reason, error?}` — after hangUp() or a fatal error
 */
export class Call extends EventTarget {
  #server;
  #room;
  #name;
  #token;
  #statsInterval;
  #signalingOptions;
  #signaling = null;
  #peers = new Map();
  #localStream;
  #screenStream = null;
  #relayOnly;
  #turnTransport;
  #iceServers = [];
  #state = CallState.IDLE;
  #media = { audio: true, video: true, screen: false };
  #chat = [];
  #transfers = [];

  /**
   * @param {object} options
   * @param {string} options.room room name (1-64 of `[A-Za-z0-9_-]`)
   * @param {string} [options.name] display name
   * @param {string|URL} [options.server] the Switchboard server's http(s) base URL (defaults to this page's origin)
   * @param {string} [options.token] room token, if the server requires one
   * @param {MediaStream} [options.localStream] camera/microphone to send (none: receive only)
   * @param {boolean} [options.relayOnly] force TURN (iceTransportPolicy `relay`)
   * @param {'any'|'udp'|'tcp'|'tls'} [options.turnTransport] keep only TURN URLs with this transport
   * @param {number} [options.statsInterval] ms between getStats samples per peer (default 1000)
   * @param {object} [options.signaling] extra {@link SignalingClient} options (timeouts, back-off)
   */
  constructor({
    room, name = '', server = globalThis.location?.href, token, localStream = null, relayOnly = false,
    turnTransport = TurnTransport.ANY, statsInterval = 1000, signaling = {},
  }) {
    super();
    this.#server = new URL(server).origin;
    this.#room = room;
    this.#name = name;
    this.#token = token;
    this.#localStream = localStream ?? new MediaStream();
    this.#relayOnly = relayOnly;
    this.#turnTransport = turnTransport;
    this.#statsInterval = statsInterval;
    this.#signalingOptions = signaling;
    this.#media.audio = this.#localStream.getAudioTracks().some((t) => t.enabled);
    this.#media.video = this.#localStream.getVideoTracks().some((t) => t.enabled);
  }

  get state() { return this.#state; }
  get room() { return this.#room; }
  get name() { return this.#name; }
  /** Our peer id (null before joining). */
  get id() { return this.#signaling?.id ?? null; }
  get server() { return this.#server; }
  /** @type {Map<string, RemotePeer>} */
  get peers() { return new Map(this.#peers); }
  get localStream() { return this.#localStream; }
  /** The stream being shared with getDisplayMedia, or null. */
  get screenStream() { return this.#screenStream; }
  get signaling() { return this.#signaling; }
  get relayOnly() { return this.#relayOnly; }
  get turnTransport() { return this.#turnTransport; }
  /** ICE servers as received (before the TURN transport filter). */
  get iceServers() { return this.#iceServers; }
  /** `{audio, video, screen}`: what we send. */
  get mediaState() { return { ...this.#media }; }
  get chatLog() { return this.#chat.slice(); }
  get transfers() { return this.#transfers.slice(); }

  /** The RTCConfiguration every peer connection uses. */
  get configuration() {
    return {
      iceServers: filterIceServers(this.#iceServers, this.#turnTransport),
      iceTransportPolicy: this.#relayOnly ? 'relay' : 'all',
      bundlePolicy: 'max-bundle',
    };
  }

  /**
   * Joins the room and connects to everyone in it.
   * @returns {Promise<void>}
   * @throws {SwitchboardError} `server-unreachable`, `room-full`, `no-matching-turn`, or another server error code
   */
  async join() {
    if (this.#state !== CallState.IDLE) throw new SwitchboardError('invalid-state', `Cannot join when ${this.#state}.`);
    this.#setState(CallState.JOINING);
    const signaling = new SignalingClient({
      url: signalingUrl(this.#server), room: this.#room, name: this.#name, token: this.#token,
      ...this.#signalingOptions,
    });
    this.#signaling = signaling;
    this.#wireSignaling(signaling);
    try {
      const joined = await signaling.join();
      this.#iceServers = joined.iceServers?.length
        ? joined.iceServers
        : (await fetchIceServers(this.#server)).iceServers;
      this.configuration; // throws no-matching-turn before any peer exists
      this.#setState(CallState.JOINED);
      for (const peer of joined.peers ?? []) this.#addPeer(peer, { initiator: true });
    } catch (error) {
      signaling.leave();
      this.#setState(CallState.FAILED);
      throw error;
    }
  }

  /** Leaves the room: closes every peer connection and the signaling session. Local media is left running. */
  hangUp() {
    if (this.#state === CallState.LEFT) return;
    const signaling = this.#signaling;
    if (this.#state === CallState.JOINING) {
      signaling?.leave(); // join() then rejects with `left`
      return;
    }
    this.#end('left');
    signaling?.leave();
  }

  /** Mutes or unmutes the microphone (the track keeps running; silence is sent). */
  setMicrophoneEnabled(enabled) {
    this.#localStream.getAudioTracks().forEach((track) => { track.enabled = enabled; });
    this.#media.audio = enabled && this.#localStream.getAudioTracks().length > 0;
    this.#announceMedia();
  }

  /** Turns the camera picture on or off (black frames are sent while off). */
  setCameraEnabled(enabled) {
    this.#localStream.getVideoTracks().forEach((track) => { track.enabled = enabled; });
    this.#media.video = enabled && this.#localStream.getVideoTracks().length > 0;
    this.#announceMedia();
  }

  /**
   * Sends a screen instead of the camera until {@link stopScreenShare} or until the person stops sharing.
   * @param {MediaStream} [stream] a display stream; by default one is asked for with getDisplayMedia
   */
  async startScreenShare(stream) {
    const screen = stream ?? await openScreen();
    const track = screen.getVideoTracks()[0];
    if (!track) throw new SwitchboardError(ErrorCode.UNSUPPORTED, 'The shared screen has no video.');
    this.stopScreenShare({ restoreCamera: false });
    this.#screenStream = screen;
    track.addEventListener('ended', () => { if (this.#screenStream === screen) this.stopScreenShare(); });
    await Promise.all([...this.#peers.values()].map((peer) => peer.setTrack('video', track, screen)));
    this.#media.screen = true;
    this.#announceMedia();
  }

  /** Goes back to the camera after a screen share. */
  stopScreenShare({ restoreCamera = true } = {}) {
    const screen = this.#screenStream;
    if (!screen) return;
    this.#screenStream = null;
    screen.getTracks().forEach((track) => track.stop());
    if (restoreCamera) {
      const camera = this.#localStream.getVideoTracks()[0] ?? null;
      for (const peer of this.#peers.values()) peer.setTrack('video', camera, this.#localStream);
    }
    this.#media.screen = false;
    this.#announceMedia();
  }

  /**
   * Replaces the local camera/microphone stream (another device, or after joining without one).
   * @param {MediaStream} stream
   */
  async replaceLocalStream(stream) {
    this.#localStream = stream;
    const audio = stream.getAudioTracks()[0] ?? null;
    const video = stream.getVideoTracks()[0] ?? null;
    await Promise.all([...this.#peers.values()].flatMap((peer) => [
      peer.setTrack('audio', audio, stream),
      this.#screenStream ? Promise.resolve() : peer.setTrack('video', video, stream),
    ]));
    this.#media.audio = Boolean(audio?.enabled);
    this.#media.video = Boolean(video?.enabled);
    this.#announceMedia();
  }

  /**
   * Sends a chat message to everyone.
   * @returns {{id: string, text: string, ts: number, from: string, name: string, self: true}}
   */
  sendChat(text) {
    const message = { id: crypto.randomUUID(), text: String(text), ts: Date.now() };
    for (const peer of this.#peers.values()) peer.sendChat(message);
    const entry = { ...message, from: this.id, name: this.#name, self: true };
    this.#chat.push(entry);
    emit(this, 'chat', entry);
    return entry;
  }

  /**
   * Sends a file to one peer (`to`) or to every peer.
   * @param {File|Blob} file
   * @param {{to?: string}} [options]
   * @returns {import('./sdk/files.js').FileTransfer[]} one transfer per receiving peer
   */
  sendFile(file, { to } = {}) {
    const targets = to ? [this.#peers.get(to)].filter(Boolean) : [...this.#peers.values()];
    return targets.map((peer) => peer.sendFile(file));
  }

  /**
   * Changes how peers connect: relay only (TURN) or not, and which TURN transport. Each existing connection is rebuilt
   * (a new RTCPeerConnection on both sides, coordinated by a `reset` signal) because browsers keep using an already
   * working path across an ICE restart even when the new policy forbids it. Emits `peer-reset` per peer.
   * @param {{relayOnly?: boolean, turnTransport?: 'any'|'udp'|'tcp'|'tls'}} policy
   * @throws {SwitchboardError} `no-matching-turn` when the server offers no TURN URL with that transport
   */
  setIcePolicy({ relayOnly = this.#relayOnly, turnTransport = this.#turnTransport } = {}) {
    filterIceServers(this.#iceServers, turnTransport);
    this.#relayOnly = relayOnly;
    this.#turnTransport = turnTransport;
    for (const peer of [...this.#peers.values()]) this.#resetPeer(peer, peer.generation + 1, true);
  }

  /** Restarts ICE on every peer connection. */
  restartIce() {
    for (const peer of this.#peers.values()) peer.restartIce('requested');
  }

  /** A plain-object picture of the call, for debugging, tests and support. */
  toJSON() {
    return {
      state: this.#state,
      room: this.#room,
      id: this.id,
      name: this.#name,
      signalingState: this.#signaling?.state ?? 'idle',
      signalingTransport: this.#signaling?.transport ?? null,
      relayOnly: this.#relayOnly,
      turnTransport: this.#turnTransport,
      media: this.mediaState,
      peers: [...this.#peers.values()].map((peer) => ({
        id: peer.id,
        name: peer.name,
        polite: peer.polite,
        connectionState: peer.connectionState,
        iceConnectionState: peer.pc.iceConnectionState,
        signalingState: peer.pc.signalingState,
        iceRestarts: peer.iceRestarts,
        chatOpen: peer.chatOpen,
        media: peer.mediaState,
        tracks: peer.stream.getTracks().map((t) => ({ kind: t.kind, muted: t.muted, readyState: t.readyState })),
        stats: peer.stats.latest,
        iceErrors: peer.iceErrors.slice(-5),
        candidates: { ...peer.candidateCounts },
        negotiation: peer.negotiationLog.slice(),
      })),
      chat: this.#chat.slice(-50),
      transfers: this.#transfers.map((t) => t.toJSON()),
    };
  }

  // ---- internals -------------------------------------------------------------------------------------------------

  #wireSignaling(signaling) {
    signaling.addEventListener('peer-joined', ({ detail }) => {
      if (this.#state === CallState.JOINED || this.#state === CallState.RECONNECTING) {
        this.#addPeer(detail, { initiator: false });
      }
    });
    signaling.addEventListener('peer-left', ({ detail }) => this.#removePeer(detail.id));
    signaling.addEventListener('signal', ({ detail }) => {
      let peer = this.#peers.get(detail.from);
      if (!peer && this.#state === CallState.JOINED) {
        peer = this.#addPeer({ id: detail.from, name: signaling.peers.get(detail.from)?.name ?? '' },
          { initiator: false });
      }
      if (!peer) return;
      const data = detail.data ?? {};
      const generation = Number(data.gen ?? 0);
      if (data.reset !== undefined) {
        // The other side rebuilt its connection to us: do the same, then negotiate from scratch.
        if (Number(data.reset) > peer.generation) this.#resetPeer(peer, Number(data.reset), false);
        return;
      }
      if (generation < peer.generation) return; // a message for a connection that no longer exists
      if (generation > peer.generation) peer = this.#resetPeer(peer, generation, false);
      peer.handleSignal(data);
    });
    signaling.addEventListener('waiting', ({ detail }) => emit(this, 'waiting', detail));
    signaling.addEventListener('reconnecting', ({ detail }) => {
      if (this.#state === CallState.JOINED) this.#setState(CallState.RECONNECTING);
      emit(this, 'reconnecting', detail);
    });
    signaling.addEventListener('resumed', ({ detail }) => {
      this.#setState(CallState.JOINED);
      this.#updateIceServers(detail.iceServers);
      emit(this, 'resumed', { id: detail.id });
    });
    signaling.addEventListener('rejoined', ({ detail }) => {
      // A new session: our old id is gone for the others, so every connection starts over.
      for (const id of [...this.#peers.keys()]) this.#removePeer(id, 'reset');
      this.#setState(CallState.JOINED);
      this.#updateIceServers(detail.iceServers);
      for (const peer of detail.peers ?? []) this.#addPeer(peer, { initiator: true });
      emit(this, 'rejoined', { id: detail.id, previousId: detail.previousId });
    });
    signaling.addEventListener('error', ({ detail: error }) => {
      if (error.code === 'unknown-peer') {
        // The peer left while our messages were on their way: its connection is of no further use.
        if (error.detail?.peer) this.#removePeer(error.detail.peer);
        return;
      }
      emit(this, 'error', error);
    });
    signaling.addEventListener('closed', ({ detail }) => {
      if (this.#state !== CallState.LEFT && this.#state !== CallState.JOINING && this.#state !== CallState.FAILED) {
        this.#end(detail.reason, new SwitchboardError(detail.reason ?? ErrorCode.CLOSED, 'The call ended.'));
      }
    });
  }

  #updateIceServers(iceServers) {
    if (!iceServers?.length) return;
    this.#iceServers = iceServers;
    let configuration;
    try {
      configuration = this.configuration;
    } catch {
      return;
    }
    for (const peer of this.#peers.values()) peer.updateIceServers(configuration);
  }

  /** Replaces the connection to `peer` with a fresh one of `generation`; tells the other side when `notify`. */
  #resetPeer(peer, generation, notify) {
    const { id, name } = peer;
    this.#peers.delete(id);
    peer.close('reset');
    emit(this, 'peer-removed', peer);
    if (notify) this.#signaling?.signal(id, { reset: generation });
    const fresh = this.#addPeer({ id, name }, { generation, initiator: notify });
    emit(this, 'peer-reset', { peer: fresh, previous: peer });
    return fresh;
  }

  #addPeer({ id, name }, { generation = 0, initiator = true } = {}) {
    if (!id || id === this.id) return null;
    const existing = this.#peers.get(id);
    if (existing) return existing;
    const peer = new RemotePeer({
      id,
      name: name ?? '',
      selfId: this.id,
      generation,
      initiator,
      configuration: this.configuration,
      statsInterval: this.#statsInterval,
      sendSignal: (data) => {
        if (!this.#signaling || this.#signaling.state === SignalingState.CLOSED) return;
        this.#signaling.signal(id, data);
      },
    });
    this.#peers.set(id, peer);
    const updated = () => emit(this, 'peer-updated', peer);
    peer.addEventListener('state', updated);
    peer.addEventListener('media-state', updated);
    peer.addEventListener('track', updated);
    peer.addEventListener('ice-restart', updated);
    peer.addEventListener('failed', ({ detail }) => emit(this, 'peer-failed', { peer, error: detail }));
    peer.addEventListener('slow', () => emit(this, 'peer-slow', { peer }));
    peer.addEventListener('negotiation-error', ({ detail }) => emit(this, 'error',
      new SwitchboardError('negotiation-error', `Negotiation with ${peer.name || id} failed: ${detail.message}`,
        { cause: detail, detail: { peerId: id } })));
    peer.addEventListener('chat', ({ detail }) => {
      const entry = { ...detail, name: peer.name, self: false };
      this.#chat.push(entry);
      if (this.#chat.length > 1000) this.#chat.shift();
      emit(this, 'chat', entry);
    });
    peer.addEventListener('transfer', ({ detail: transfer }) => {
      this.#transfers.push(transfer);
      emit(this, 'transfer', transfer);
    });
    peer.addEventListener('stats', ({ detail }) => emit(this, 'stats', { peer, sample: detail }));

    const audio = this.#localStream.getAudioTracks()[0];
    const video = this.#screenStream?.getVideoTracks()[0] ?? this.#localStream.getVideoTracks()[0];
    if (audio) peer.setTrack('audio', audio, this.#localStream);
    if (video) peer.setTrack('video', video, this.#screenStream ?? this.#localStream);
    peer.sendMediaState(this.#media);
    emit(this, 'peer-added', peer);
    return peer;
  }

  #removePeer(id, reason = 'left') {
    const peer = this.#peers.get(id);
    if (!peer) return;
    this.#peers.delete(id);
    peer.close(reason);
    emit(this, 'peer-removed', peer);
  }

  #announceMedia() {
    for (const peer of this.#peers.values()) peer.sendMediaState(this.#media);
  }

  #end(reason, error) {
    for (const id of [...this.#peers.keys()]) this.#removePeer(id, 'hangup');
    this.stopScreenShare({ restoreCamera: false });
    this.#setState(error ? CallState.FAILED : CallState.LEFT);
    emit(this, 'ended', { reason, error });
  }

  #setState(state) {
    if (state === this.#state) return;
    const previous = this.#state;
    this.#state = state;
    emit(this, 'state', { state, previous });
  }
}
