/**
 * One RTCPeerConnection to one remote peer, negotiated with the W3C "perfect negotiation" pattern (WebRTC 1.0
 * §10.7): either side may offer at any time; on glare the impolite peer ignores the incoming offer and the polite one
 * rolls back (implicitly, through setRemoteDescription). ICE candidates trickle (RFC 8838). A failed ICE connection is
 * restarted. Two negotiated data channels are opened: `chat` (id 0: chat and media state) and `files` (id 1); they
 * are negotiated first, media after them.
 * @module switchboard/peer
 */
import { SwitchboardError, ErrorCode, emit } from './errors.js';
import { FileChannel } from './files.js';
import { StatsSampler } from './stats.js';

const CHAT_CHANNEL_ID = 0;
const FILE_CHANNEL_ID = 1;
/** How long ICE may stay `disconnected` before it is restarted. */
const DISCONNECTED_GRACE_MS = 3000;
/** How long a connection attempt may take before the peer counts as having trouble (`slow` event). */
const CONNECT_PATIENCE_MS = 15000;
/** ICE restarts in a row without connecting before the connection is declared failed. */
const MAX_RESTARTS = 3;

/**
 * The remote end of a mesh link.
 *
 * Events: `track` `{track}`, `state` `{connectionState, iceConnectionState}`, `connected`, `slow`, `failed` (a
 * SwitchboardError), `ice-restart` `{attempt, reason}`, `chat` (a chat message), `media-state` `{audio, video,
 * screen}`, `transfer` (a FileTransfer), `stats` (a StatsSample), `closed`.
 */
export class RemotePeer extends EventTarget {
  #sendSignal;
  #makingOffer = false;
  #ignoreOffer = false;
  #settingRemoteAnswer = false;
  #senders = new Map();
  #chatChannel;
  #chatOutbox = [];
  #disconnectTimer = null;
  #patienceTimer = null;
  #restartsInARow = 0;
  #everConnected = false;
  #closed = false;
  #dataNegotiated = false;
  #initiator;
  #pendingTracks = new Map();

  /**
   * @param {object} options
   * @param {string} options.id the remote peer id
   * @param {string} [options.name]
   * @param {string} options.selfId our own peer id (decides who is polite)
   * @param {RTCConfiguration} options.configuration
   * @param {(data: object) => void} options.sendSignal sends `data` to this peer over signaling
   * @param {number} [options.statsInterval] ms between getStats samples (default 1000)
   * @param {number} [options.generation] connection generation (0 for the first connection to this peer)
   * @param {boolean} [options.initiator] whether we make the first offer. Exactly one side should: a glare that rolls
   *   back the very first offer leaves Chromium's ICE agent without candidates, so the first round is not left to
   *   perfect negotiation. The newcomer (who found the other in `joined`) initiates; later offers may come from either.
   */
  constructor({
    id, name = '', selfId, configuration, sendSignal, statsInterval = 1000, generation = 0, initiator = true,
  }) {
    super();
    this.#initiator = initiator;
    this.id = id;
    this.name = name;
    /**
     * Which connection to this peer the signals belong to. Both sides move to a new generation when the connection is
     * rebuilt (see Call#setIcePolicy); signals of an older generation are ignored.
     */
    this.generation = generation;
    /** Why the peer was closed: `left`, `reset` (rebuilt with a new generation) or `hangup`. */
    this.closeReason = null;
    /** The polite peer yields on glare. The peer whose id sorts first is polite. */
    this.polite = selfId < id;
    this.#sendSignal = sendSignal;
    /** Remote audio and video, one stream for the tile. */
    this.stream = new MediaStream();
    /** What the remote peer says about its own media. */
    this.mediaState = { audio: true, video: true, screen: false };
    /** Restarts of ICE since this peer was created. */
    this.iceRestarts = 0;
    /** icecandidateerror events: `{url, errorCode, errorText, address, port}`. */
    this.iceErrors = [];
    this.createdAt = Date.now();
    this.connectedAt = null;
    /** The last negotiation steps, `{at, step}` (ms since creation), for support and debugging. */
    this.negotiationLog = [];
    /** Candidates sent, received, and received but refused by the browser. */
    this.candidateCounts = { sent: 0, received: 0, refused: 0 };

    const pc = new RTCPeerConnection(configuration);
    /** @type {RTCPeerConnection} */
    this.pc = pc;
    pc.onnegotiationneeded = () => this.#negotiate();
    pc.onicecandidate = ({ candidate }) => {
      if (!candidate) return;
      this.candidateCounts.sent += 1;
      this.#signal({ candidate: candidate.toJSON() });
    };
    pc.onicecandidateerror = (event) => {
      this.iceErrors.push({
        url: event.url, errorCode: event.errorCode, errorText: event.errorText, address: event.address,
        port: event.port,
      });
      if (this.iceErrors.length > 50) this.iceErrors.shift();
    };
    pc.ontrack = ({ track }) => {
      this.stream.addTrack(track);
      track.addEventListener('ended', () => this.stream.removeTrack(track));
      emit(this, 'track', { track });
    };
    pc.onsignalingstatechange = () => this.#onSignalingChange();
    pc.oniceconnectionstatechange = () => this.#onConnectionChange();
    pc.onconnectionstatechange = () => this.#onConnectionChange();

    this.#chatChannel = pc.createDataChannel('chat', { negotiated: true, id: CHAT_CHANNEL_ID });
    this.#chatChannel.addEventListener('open', () => this.#flushChat());
    this.#chatChannel.addEventListener('message', (event) => this.#onChatMessage(event.data));
    /** File transfers to and from this peer. */
    this.files = new FileChannel(pc.createDataChannel('files', { negotiated: true, id: FILE_CHANNEL_ID }), id);
    this.files.addEventListener('transfer', (event) => emit(this, 'transfer', event.detail));

    /** getStats sampler; its history feeds the charts. */
    this.stats = new StatsSampler(pc, { interval: statsInterval });
    this.stats.addEventListener('sample', (event) => emit(this, 'stats', event.detail));
    this.stats.start();
    this.#armPatience();
  }

  /** `new`, `connecting`, `connected`, `disconnected`, `failed` or `closed`. */
  get connectionState() { return this.#closed ? 'closed' : this.pc.connectionState; }
  get chatOpen() { return this.#chatChannel.readyState === 'open'; }

  /**
   * Sends or replaces our outgoing track of `track.kind` (or `kind` when track is null).
   * @param {'audio'|'video'} kind
   * @param {MediaStreamTrack|null} track
   * @param {MediaStream} [stream] the stream the track belongs to (for the remote side's `streams`)
   */
  async setTrack(kind, track, stream) {
    if (this.#closed) return;
    if (!this.#dataNegotiated) {
      this.#pendingTracks.set(kind, { track, stream });
      return;
    }
    const sender = this.#senders.get(kind);
    if (sender) {
      await sender.replaceTrack(track);
    } else if (track) {
      this.#senders.set(kind, stream ? this.pc.addTrack(track, stream) : this.pc.addTrack(track));
    }
  }

  /**
   * Handles a `signal` payload from this peer: `{description}` or `{candidate}`.
   * Errors are reported as `failed` events only when they break the connection; ignored-offer candidates are dropped.
   */
  async handleSignal(data) {
    if (this.#closed || !data || typeof data !== 'object') return;
    const pc = this.pc;
    try {
      if (data.description) {
        const description = data.description;
        const readyForOffer = !this.#makingOffer
          && (pc.signalingState === 'stable' || this.#settingRemoteAnswer);
        const offerCollision = description.type === 'offer' && !readyForOffer;
        this.#ignoreOffer = !this.polite && offerCollision;
        if (this.#ignoreOffer) {
          this.#note(`ignored colliding ${description.type}`);
          return;
        }
        this.#note(`got ${description.type}${offerCollision ? ' (rolling back ours)' : ''}`);
        this.#settingRemoteAnswer = description.type === 'answer';
        await pc.setRemoteDescription(description);
        this.#settingRemoteAnswer = false;
        if (description.type === 'offer') {
          await pc.setLocalDescription();
          this.#signal({ description: pc.localDescription.toJSON() });
          this.#note(`sent ${pc.localDescription.type}`);
        }
      } else if (data.candidate) {
        this.candidateCounts.received += 1;
        try {
          await pc.addIceCandidate(data.candidate);
        } catch (error) {
          this.candidateCounts.refused += 1;
          if (!this.#ignoreOffer && !this.#closed) throw error;
        }
      }
    } catch (error) {
      this.#settingRemoteAnswer = false;
      if (this.#closed) return;
      this.#note(`error: ${error.message}`);
      emit(this, 'negotiation-error', error);
    }
  }

  /** Sends a chat message; waits in order until the channel opens. Returns the message. */
  sendChat(message) {
    this.#sendOnChat({ t: 'chat', ...message });
    return message;
  }

  /** Tells the remote peer about our media (mute, camera off, screen share). */
  sendMediaState(state) {
    this.#sendOnChat({ t: 'media', ...state });
  }

  /** Sends a file; see {@link FileChannel#send}. */
  sendFile(file) {
    return this.files.send(file);
  }

  /** Applies new ICE servers (fresh TURN credentials) for the next ICE restart, without restarting now. */
  updateIceServers(configuration) {
    if (!this.#closed) this.pc.setConfiguration(configuration);
  }

  /** Restarts ICE (new ufrag/pwd, fresh candidates) through a new offer. */
  restartIce(reason = 'requested') {
    if (this.#closed) return;
    this.iceRestarts += 1;
    this.#restartsInARow += 1;
    emit(this, 'ice-restart', { attempt: this.iceRestarts, reason });
    this.pc.restartIce();
    this.#armPatience();
  }

  close(reason = 'left') {
    if (this.#closed) return;
    this.#closed = true;
    this.closeReason = reason;
    clearTimeout(this.#disconnectTimer);
    clearTimeout(this.#patienceTimer);
    this.stats.stop();
    this.pc.close();
    this.stream.getTracks().forEach((track) => track.stop());
    emit(this, 'state', { connectionState: 'closed', iceConnectionState: 'closed' });
    emit(this, 'closed', {});
  }

  // ---- internals -------------------------------------------------------------------------------------------------

  async #negotiate() {
    if (!this.#initiator && !this.#dataNegotiated) {
      // The other side makes the first offer (see `initiator`); ours would only collide with it.
      return;
    }
    try {
      this.#makingOffer = true;
      await this.pc.setLocalDescription();
      // An offer rolled back meanwhile (glare, polite side) must not be sent.
      if (this.pc.signalingState !== 'have-local-offer') return;
      this.#signal({ description: this.pc.localDescription.toJSON() });
      this.#note(`sent ${this.pc.localDescription.type}`);
    } catch (error) {
      if (!this.#closed) emit(this, 'negotiation-error', error);
    } finally {
      this.#makingOffer = false;
    }
  }

  #note(step) {
    this.negotiationLog.push({ at: Date.now() - this.createdAt, step });
    if (this.negotiationLog.length > 40) this.negotiationLog.shift();
  }

  #signal(data) {
    if (!this.#closed) this.#sendSignal({ ...data, gen: this.generation });
  }

  /**
   * Media is added only after the data channels' first offer/answer. Browsers put the data m-section after the media
   * ones of the same offer, so a peer without camera (data only, mid 0) and one with (data last) would disagree on
   * the mids, and rolling back on glare then fails to start SCTP. Negotiating data first gives every peer the same
   * layout: data at mid 0, media after it.
   */
  #onSignalingChange() {
    const pc = this.pc;
    if (this.#dataNegotiated || this.#closed || pc.signalingState !== 'stable') return;
    if (!pc.currentLocalDescription || !pc.currentRemoteDescription) return;
    this.#dataNegotiated = true;
    this.#note('data channels negotiated; adding media');
    const pending = [...this.#pendingTracks];
    this.#pendingTracks.clear();
    for (const [kind, { track, stream }] of pending) this.setTrack(kind, track, stream);
  }

  #onConnectionChange() {
    if (this.#closed) return;
    const pc = this.pc;
    const ice = pc.iceConnectionState;
    this.#note(`ice ${ice}, connection ${pc.connectionState}`);
    emit(this, 'state', { connectionState: pc.connectionState, iceConnectionState: ice });
    if (pc.connectionState === 'connected') {
      clearTimeout(this.#patienceTimer);
      clearTimeout(this.#disconnectTimer);
      this.#restartsInARow = 0;
      if (!this.#everConnected) this.connectedAt = Date.now();
      this.#everConnected = true;
      emit(this, 'connected', {});
      return;
    }
    if (ice === 'failed' || pc.connectionState === 'failed') {
      clearTimeout(this.#disconnectTimer);
      this.#restartOrGiveUp('ICE failed');
    } else if (ice === 'disconnected') {
      clearTimeout(this.#disconnectTimer);
      this.#disconnectTimer = setTimeout(() => {
        if (!this.#closed && this.pc.iceConnectionState === 'disconnected') this.#restartOrGiveUp('ICE disconnected');
      }, DISCONNECTED_GRACE_MS);
    }
  }

  #restartOrGiveUp(reason) {
    if (this.#restartsInARow >= MAX_RESTARTS) {
      emit(this, 'failed', new SwitchboardError(ErrorCode.CONNECTION_FAILED,
        `Could not connect to ${this.name || 'this peer'} after ${MAX_RESTARTS} ICE restarts.`,
        { detail: { peerId: this.id, iceErrors: this.iceErrors.slice(-5) } }));
      return;
    }
    this.restartIce(reason);
  }

  #armPatience() {
    clearTimeout(this.#patienceTimer);
    this.#patienceTimer = setTimeout(() => {
      if (this.#closed || this.pc.connectionState === 'connected') return;
      emit(this, 'slow', { waitedMs: CONNECT_PATIENCE_MS, iceErrors: this.iceErrors.slice(-5) });
    }, CONNECT_PATIENCE_MS);
  }

  #sendOnChat(message) {
    if (this.#closed) return;
    if (this.#chatChannel.readyState === 'open') {
      this.#chatChannel.send(JSON.stringify(message));
    } else {
      this.#chatOutbox.push(message);
    }
  }

  #flushChat() {
    const queued = this.#chatOutbox;
    this.#chatOutbox = [];
    for (const message of queued) this.#chatChannel.send(JSON.stringify(message));
  }

  #onChatMessage(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (message?.t === 'chat' && typeof message.text === 'string') {
      emit(this, 'chat', {
        id: String(message.id ?? crypto.randomUUID()), text: message.text.slice(0, 10_000),
        ts: Number(message.ts) || Date.now(), from: this.id, name: this.name,
      });
    } else if (message?.t === 'media') {
      this.mediaState = { audio: message.audio !== false, video: message.video !== false, screen: !!message.screen };
      emit(this, 'media-state', { ...this.mediaState });
    }
  }
}
