/**
 * getStats sampling: turns the cumulative counters of RTCStatsReport (W3C webrtc-stats) into per-interval rates —
 * bitrate in and out, packet loss, jitter, round-trip time, frame rate, resolution, codec — and names the selected
 * candidate pair with the type of each end (host, srflx, prflx, relay).
 * @module switchboard/stats
 */
import { emit } from './errors.js';

/**
 * One summarized sample. Rates cover the interval since the previous sample.
 * @typedef {object} StatsSample
 * @property {number} timestamp ms since the epoch
 * @property {number} bitrateIn media bits per second received (all inbound RTP streams)
 * @property {number} bitrateOut media bits per second sent
 * @property {number} transportBitrateIn bits per second received on the selected candidate pair (media + data)
 * @property {number} transportBitrateOut
 * @property {number} packetsLost cumulative packets lost on inbound streams
 * @property {number} packetLossPercent inbound loss in this interval, 0-100
 * @property {number|null} remotePacketLossPercent loss the remote side reports for what we send, 0-100
 * @property {number|null} jitter inbound jitter in ms (worst stream)
 * @property {number|null} rtt round-trip time in ms (selected pair, else RTCP)
 * @property {number|null} fpsIn frames per second decoded
 * @property {number|null} fpsOut frames per second encoded
 * @property {{width:number,height:number}|null} resolutionIn
 * @property {{width:number,height:number}|null} resolutionOut
 * @property {number} framesDecoded cumulative
 * @property {number} framesEncoded cumulative
 * @property {number|null} audioLevelIn loudness of the received audio, 0-1 (speaking indicators)
 * @property {{audio:string|null, video:string|null}} codecIn e.g. `{video: 'VP8', audio: 'opus'}`
 * @property {{audio:string|null, video:string|null}} codecOut
 * @property {number|null} availableOutgoingBitrate bits per second the sender's bandwidth estimate allows
 * @property {CandidatePair|null} candidatePair the selected pair
 */

/**
 * @typedef {object} CandidatePair
 * @property {string} state
 * @property {CandidateInfo} local
 * @property {CandidateInfo} remote
 */

/**
 * @typedef {object} CandidateInfo
 * @property {'host'|'srflx'|'prflx'|'relay'} type
 * @property {string} protocol `udp` or `tcp` (between the peers, or between the browser and the TURN server's relay)
 * @property {string|null} relayProtocol for a local relay candidate: how the browser reaches TURN (udp, tcp, tls)
 * @property {string|null} address
 * @property {number|null} port
 * @property {string|null} url the STUN/TURN URL that produced it
 */

/** The previous sample's counters, kept to compute the next sample's rates. */
function counters(stats) {
  const c = { timestamp: 0, bytesIn: 0, bytesOut: 0, packetsIn: 0, lost: 0, pairIn: 0, pairOut: 0, frames: {} };
  for (const s of stats.values()) {
    c.timestamp = Math.max(c.timestamp, s.timestamp ?? 0);
  }
  return c;
}

/**
 * Summarizes one RTCStatsReport.
 * @param {RTCStatsReport|Map<string, object>} report
 * @param {object|null} previous the `state` returned with the previous summary (null for the first)
 * @returns {{sample: StatsSample, state: object}}
 */
export function summarizeStats(report, previous = null) {
  const byId = new Map();
  for (const s of report.values()) byId.set(s.id, s);
  const state = counters(byId);
  const sample = {
    timestamp: state.timestamp || Date.now(),
    bitrateIn: 0,
    bitrateOut: 0,
    transportBitrateIn: 0,
    transportBitrateOut: 0,
    packetsLost: 0,
    packetLossPercent: 0,
    remotePacketLossPercent: null,
    jitter: null,
    rtt: null,
    fpsIn: null,
    fpsOut: null,
    resolutionIn: null,
    resolutionOut: null,
    framesDecoded: 0,
    framesEncoded: 0,
    audioLevelIn: null,
    codecIn: { audio: null, video: null },
    codecOut: { audio: null, video: null },
    availableOutgoingBitrate: null,
    candidatePair: null,
  };
  const codecName = (id) => {
    const codec = id ? byId.get(id) : null;
    return codec?.mimeType ? codec.mimeType.split('/')[1] : null;
  };
  let remoteLost = 0;
  let remoteSent = 0;
  let rtcpRtt = null;

  for (const s of byId.values()) {
    switch (s.type) {
      case 'inbound-rtp':
        state.bytesIn += s.bytesReceived ?? 0;
        state.packetsIn += s.packetsReceived ?? 0;
        state.lost += Math.max(0, s.packetsLost ?? 0);
        if (s.jitter !== undefined) sample.jitter = Math.max(sample.jitter ?? 0, s.jitter * 1000);
        sample.codecIn[s.kind] = codecName(s.codecId) ?? sample.codecIn[s.kind];
        if (s.kind === 'audio' && s.audioLevel !== undefined) {
          sample.audioLevelIn = Math.max(sample.audioLevelIn ?? 0, s.audioLevel);
        }
        if (s.kind === 'video') {
          sample.framesDecoded += s.framesDecoded ?? 0;
          if (s.framesPerSecond !== undefined) sample.fpsIn = (sample.fpsIn ?? 0) + s.framesPerSecond;
          if (s.frameWidth) sample.resolutionIn = { width: s.frameWidth, height: s.frameHeight };
          state.frames[`in:${s.id}`] = s.framesDecoded ?? 0;
        }
        break;
      case 'outbound-rtp':
        state.bytesOut += s.bytesSent ?? 0;
        sample.codecOut[s.kind] = codecName(s.codecId) ?? sample.codecOut[s.kind];
        if (s.kind === 'video') {
          sample.framesEncoded += s.framesEncoded ?? 0;
          if (s.framesPerSecond !== undefined) sample.fpsOut = Math.max(sample.fpsOut ?? 0, s.framesPerSecond);
          if (s.frameWidth) sample.resolutionOut = { width: s.frameWidth, height: s.frameHeight };
          state.frames[`out:${s.id}`] = s.framesEncoded ?? 0;
        }
        remoteSent += s.packetsSent ?? 0;
        break;
      case 'remote-inbound-rtp':
        remoteLost += Math.max(0, s.packetsLost ?? 0);
        if (s.roundTripTime !== undefined) rtcpRtt = Math.max(rtcpRtt ?? 0, s.roundTripTime * 1000);
        break;
      default:
        break;
    }
  }

  const pair = selectedPair(byId);
  if (pair) {
    state.pairIn = pair.bytesReceived ?? 0;
    state.pairOut = pair.bytesSent ?? 0;
    if (pair.currentRoundTripTime !== undefined) sample.rtt = pair.currentRoundTripTime * 1000;
    if (pair.availableOutgoingBitrate !== undefined) sample.availableOutgoingBitrate = pair.availableOutgoingBitrate;
    sample.candidatePair = {
      state: pair.state,
      local: candidateInfo(byId.get(pair.localCandidateId)),
      remote: candidateInfo(byId.get(pair.remoteCandidateId)),
    };
  }
  if (sample.rtt === null) sample.rtt = rtcpRtt;
  sample.packetsLost = state.lost;
  state.remoteLost = remoteLost;
  state.remoteSent = remoteSent;

  if (previous && state.timestamp > previous.timestamp) {
    const seconds = (state.timestamp - previous.timestamp) / 1000;
    const rate = (now, before) => Math.max(0, (now - before) * 8 / seconds);
    sample.bitrateIn = rate(state.bytesIn, previous.bytesIn);
    sample.bitrateOut = rate(state.bytesOut, previous.bytesOut);
    sample.transportBitrateIn = rate(state.pairIn, previous.pairIn);
    sample.transportBitrateOut = rate(state.pairOut, previous.pairOut);
    const lost = Math.max(0, state.lost - previous.lost);
    const received = Math.max(0, state.packetsIn - previous.packetsIn);
    sample.packetLossPercent = lost + received > 0 ? (100 * lost) / (lost + received) : 0;
    const rLost = Math.max(0, remoteLost - (previous.remoteLost ?? 0));
    const rSent = Math.max(0, remoteSent - (previous.remoteSent ?? 0));
    sample.remotePacketLossPercent = rSent > 0 ? Math.min(100, (100 * rLost) / rSent) : null;
    // Older browsers have no framesPerSecond: derive it from the frame counters.
    if (sample.fpsIn === null) sample.fpsIn = frameRate(state.frames, previous.frames, 'in:', seconds);
    if (sample.fpsOut === null) sample.fpsOut = frameRate(state.frames, previous.frames, 'out:', seconds);
  }
  return { sample, state };
}

function frameRate(now, before, prefix, seconds) {
  let frames = 0;
  let found = false;
  for (const [key, value] of Object.entries(now)) {
    if (!key.startsWith(prefix) || before[key] === undefined) continue;
    frames += Math.max(0, value - before[key]);
    found = true;
  }
  return found ? frames / seconds : null;
}

/** The candidate pair in use: the transport's selectedCandidatePairId, else the nominated succeeded pair. */
function selectedPair(byId) {
  for (const s of byId.values()) {
    if (s.type === 'transport' && s.selectedCandidatePairId && byId.has(s.selectedCandidatePairId)) {
      return byId.get(s.selectedCandidatePairId);
    }
  }
  let best = null;
  for (const s of byId.values()) {
    if (s.type !== 'candidate-pair' || s.state !== 'succeeded') continue;
    if (s.selected || s.nominated) return s;
    best ??= s;
  }
  return best;
}

function candidateInfo(candidate) {
  if (!candidate) return { type: 'unknown', protocol: null, relayProtocol: null, address: null, port: null, url: null };
  return {
    type: candidate.candidateType,
    protocol: candidate.protocol ?? null,
    relayProtocol: candidate.relayProtocol ?? null,
    address: candidate.address ?? candidate.ip ?? null,
    port: candidate.port ?? null,
    url: candidate.url ?? null,
  };
}

/**
 * Samples `pc.getStats()` at a fixed interval and keeps a history of summaries (for charts) and of raw reports (for
 * download). Events: `sample` with the {@link StatsSample} in `detail`.
 */
export class StatsSampler extends EventTarget {
  #pc;
  #interval;
  #historySize;
  #rawHistorySize;
  #timer = null;
  #state = null;
  #history = [];
  #raw = [];
  #busy = false;

  /**
   * @param {RTCPeerConnection} pc
   * @param {{interval?: number, historySize?: number, rawHistorySize?: number}} [options] interval in ms (1 s);
   *   history kept in samples (300 = 5 min at 1 s); raw reports kept (60)
   */
  constructor(pc, { interval = 1000, historySize = 300, rawHistorySize = 60 } = {}) {
    super();
    this.#pc = pc;
    this.#interval = interval;
    this.#historySize = historySize;
    this.#rawHistorySize = rawHistorySize;
  }

  /** The latest sample, or null before the first. */
  get latest() { return this.#history.at(-1) ?? null; }
  /** Samples, oldest first. */
  get history() { return this.#history.slice(); }
  /** Raw reports as plain objects `{timestamp, stats: [...]}`, oldest first. */
  get raw() { return this.#raw.slice(); }

  start() {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.sample(), this.#interval);
    this.sample();
  }

  stop() {
    clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Takes one sample now. */
  async sample() {
    if (this.#busy || this.#pc.connectionState === 'closed') return null;
    this.#busy = true;
    try {
      const report = await this.#pc.getStats();
      const { sample, state } = summarizeStats(report, this.#state);
      this.#state = state;
      this.#history.push(sample);
      if (this.#history.length > this.#historySize) this.#history.shift();
      this.#raw.push({ timestamp: sample.timestamp, stats: [...report.values()] });
      if (this.#raw.length > this.#rawHistorySize) this.#raw.shift();
      emit(this, 'sample', sample);
      return sample;
    } catch {
      return null;
    } finally {
      this.#busy = false;
    }
  }

  /** Everything kept, for a JSON download: `{samples, raw}`. */
  toJSON() {
    return { samples: this.#history, raw: this.#raw };
  }
}
