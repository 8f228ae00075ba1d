/**
 * File transfer over an RTCDataChannel: 16 KiB chunks with back-pressure on `bufferedAmount`, a SHA-256 digest sent
 * ahead of the data and checked on arrival with WebCrypto, and an acknowledgement back to the sender.
 *
 * Wire format on the channel (one transfer at a time per channel, in order):
 * text `{"t":"file-offer","id","name","size","mime","sha256"}`, then binary chunks, then text `{"t":"file-end","id"}`;
 * the receiver answers text `{"t":"file-ack","id","ok":true|false}`. Either side may send `{"t":"file-cancel","id"}`.
 * @module switchboard/files
 */
import { SwitchboardError, ErrorCode, emit } from './errors.js';

export const CHUNK_SIZE = 16 * 1024;
/** Sending pauses while more than this many bytes wait in the channel's buffer. */
export const HIGH_WATER_MARK = 1024 * 1024;
/** ...and resumes when the buffer drains below this (the channel's bufferedAmountLowThreshold). */
export const LOW_WATER_MARK = 256 * 1024;
/** Files are hashed and assembled in memory, so their size is capped. */
export const MAX_FILE_SIZE = 512 * 1024 * 1024;

const PROGRESS_EVERY_MS = 100;

/** Hex SHA-256 of an ArrayBuffer or Blob. */
export async function sha256Hex(data) {
  const buffer = data instanceof Blob ? await data.arrayBuffer() : data;
  const digest = await crypto.subtle.digest('SHA-256', buffer);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * One file going to or coming from one peer. Events: `progress`, `done`, `failed` (detail: the transfer).
 * States: `queued` → `hashing` → `sending` → `done` (sender), `receiving` → `verifying` → `done` (receiver);
 * `failed` from anywhere.
 */
export class FileTransfer extends EventTarget {
  /** @param {{id: string, direction: 'send'|'receive', peerId: string, name: string, size: number, mime?: string}} f */
  constructor({ id, direction, peerId, name, size, mime = '' }) {
    super();
    this.id = id;
    this.direction = direction;
    this.peerId = peerId;
    this.name = name;
    this.size = size;
    this.mime = mime;
    this.bytes = 0;
    this.state = direction === 'send' ? 'queued' : 'receiving';
    /** Expected digest (hex), known once hashed (sender) or announced (receiver). */
    this.sha256 = null;
    /** Digest computed on arrival (receiver). */
    this.actualSha256 = null;
    /** true when the digest matched (receiver: checked here; sender: the receiver's acknowledgement). */
    this.verified = null;
    /** The received file. */
    this.blob = null;
    this.error = null;
    this.startedAt = Date.now();
    this.finishedAt = null;
  }

  /** 0 to 1. */
  get progress() { return this.size === 0 ? (this.state === 'done' ? 1 : 0) : Math.min(1, this.bytes / this.size); }

  /** Average bytes per second so far. */
  get throughput() {
    const seconds = ((this.finishedAt ?? Date.now()) - this.startedAt) / 1000;
    return seconds > 0 ? this.bytes / seconds : 0;
  }

  toJSON() {
    return {
      id: this.id, direction: this.direction, peerId: this.peerId, name: this.name, size: this.size, mime: this.mime,
      bytes: this.bytes, progress: this.progress, state: this.state, sha256: this.sha256,
      actualSha256: this.actualSha256, verified: this.verified, error: this.error?.message ?? null,
    };
  }
}

/**
 * Runs the file protocol on one data channel. Emits `transfer` (detail: a new incoming or outgoing FileTransfer).
 */
export class FileChannel extends EventTarget {
  #channel;
  #peerId;
  #queue = [];
  #sending = false;
  #incoming = null;
  #chunks = [];
  #acks = new Map();
  #lastProgress = 0;

  /** @param {RTCDataChannel} channel @param {string} peerId */
  constructor(channel, peerId) {
    super();
    this.#channel = channel;
    this.#peerId = peerId;
    channel.binaryType = 'arraybuffer';
    channel.bufferedAmountLowThreshold = LOW_WATER_MARK;
    channel.addEventListener('message', (event) => this.#onMessage(event.data));
    channel.addEventListener('close', () => this.#onClose());
  }

  /**
   * Queues `file` for sending.
   * @param {File|Blob} file
   * @returns {FileTransfer}
   */
  send(file) {
    const transfer = new FileTransfer({
      id: crypto.randomUUID(), direction: 'send', peerId: this.#peerId, name: file.name ?? 'file', size: file.size,
      mime: file.type,
    });
    emit(this, 'transfer', transfer);
    if (file.size > MAX_FILE_SIZE) {
      this.#fail(transfer, new SwitchboardError(ErrorCode.FILE_TOO_LARGE,
        `${transfer.name} is larger than ${MAX_FILE_SIZE / 1024 / 1024} MB.`));
      return transfer;
    }
    this.#queue.push({ transfer, file });
    this.#pump();
    return transfer;
  }

  async #pump() {
    if (this.#sending) return;
    this.#sending = true;
    try {
      while (this.#queue.length > 0) {
        const { transfer, file } = this.#queue.shift();
        try {
          await this.#sendOne(transfer, file);
        } catch (error) {
          this.#fail(transfer, error);
        }
      }
    } finally {
      this.#sending = false;
    }
  }

  async #sendOne(transfer, file) {
    transfer.state = 'hashing';
    emit(transfer, 'progress', transfer);
    const buffer = await file.arrayBuffer();
    transfer.sha256 = await sha256Hex(buffer);
    await this.#whenOpen();
    const channel = this.#channel;
    transfer.state = 'sending';
    transfer.startedAt = Date.now();
    const acked = new Promise((resolve) => this.#acks.set(transfer.id, resolve));
    channel.send(JSON.stringify({
      t: 'file-offer', id: transfer.id, name: transfer.name, size: transfer.size, mime: transfer.mime,
      sha256: transfer.sha256,
    }));
    let queued = 0;
    const bytes = new Uint8Array(buffer);
    while (queued < bytes.length) {
      if (channel.bufferedAmount > HIGH_WATER_MARK) {
        await this.#drained();
        transfer.bytes = queued - channel.bufferedAmount;
        this.#progress(transfer);
      }
      if (transfer.state === 'failed') return;
      const end = Math.min(bytes.length, queued + CHUNK_SIZE);
      channel.send(bytes.subarray(queued, end));
      queued = end;
    }
    channel.send(JSON.stringify({ t: 'file-end', id: transfer.id }));
    while (channel.bufferedAmount > 0 && channel.readyState === 'open') {
      transfer.bytes = queued - channel.bufferedAmount;
      this.#progress(transfer);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const ok = await acked;
    if (transfer.state === 'failed') return;
    if (ok === null) throw this.#closedError();
    transfer.bytes = transfer.size;
    transfer.verified = ok;
    transfer.finishedAt = Date.now();
    if (!ok) {
      this.#fail(transfer, new SwitchboardError(ErrorCode.TRANSFER_FAILED,
        `${transfer.name} arrived damaged (SHA-256 mismatch).`));
      return;
    }
    transfer.state = 'done';
    emit(transfer, 'progress', transfer);
    emit(transfer, 'done', transfer);
  }

  #whenOpen() {
    const channel = this.#channel;
    if (channel.readyState === 'open') return Promise.resolve();
    if (channel.readyState !== 'connecting') return Promise.reject(this.#closedError());
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        channel.removeEventListener('open', onOpen);
        channel.removeEventListener('close', onClose);
      };
      const onOpen = () => { cleanup(); resolve(); };
      const onClose = () => { cleanup(); reject(this.#closedError()); };
      channel.addEventListener('open', onOpen);
      channel.addEventListener('close', onClose);
    });
  }

  #drained() {
    const channel = this.#channel;
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        channel.removeEventListener('bufferedamountlow', onLow);
        channel.removeEventListener('close', onClose);
      };
      const onLow = () => { cleanup(); resolve(); };
      const onClose = () => { cleanup(); reject(this.#closedError()); };
      channel.addEventListener('bufferedamountlow', onLow);
      channel.addEventListener('close', onClose);
      if (channel.bufferedAmount <= LOW_WATER_MARK) onLow();
    });
  }

  #closedError() {
    return new SwitchboardError(ErrorCode.TRANSFER_FAILED, 'The connection closed during the transfer.');
  }

  async #onMessage(data) {
    if (typeof data !== 'string') {
      const incoming = this.#incoming;
      if (!incoming) return;
      this.#chunks.push(data);
      incoming.bytes += data.byteLength;
      this.#progress(incoming);
      return;
    }
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    switch (message.t) {
      case 'file-offer': {
        const transfer = new FileTransfer({
          id: String(message.id), direction: 'receive', peerId: this.#peerId, name: String(message.name ?? 'file'),
          size: Number(message.size) || 0, mime: String(message.mime ?? ''),
        });
        transfer.sha256 = message.sha256 ?? null;
        this.#incoming = transfer;
        this.#chunks = [];
        emit(this, 'transfer', transfer);
        emit(transfer, 'progress', transfer);
        break;
      }
      case 'file-end': {
        const transfer = this.#incoming;
        if (!transfer || transfer.id !== message.id) return;
        this.#incoming = null;
        const chunks = this.#chunks;
        this.#chunks = [];
        transfer.state = 'verifying';
        emit(transfer, 'progress', transfer);
        const blob = new Blob(chunks, { type: transfer.mime || 'application/octet-stream' });
        transfer.actualSha256 = await sha256Hex(blob);
        transfer.verified = blob.size === transfer.size && transfer.actualSha256 === transfer.sha256;
        transfer.finishedAt = Date.now();
        if (this.#channel.readyState === 'open') {
          this.#channel.send(JSON.stringify({ t: 'file-ack', id: transfer.id, ok: transfer.verified }));
        }
        if (transfer.verified) {
          transfer.blob = blob;
          transfer.state = 'done';
          emit(transfer, 'progress', transfer);
          emit(transfer, 'done', transfer);
        } else {
          this.#fail(transfer, new SwitchboardError(ErrorCode.TRANSFER_FAILED,
            `${transfer.name} arrived damaged: SHA-256 ${transfer.actualSha256} instead of ${transfer.sha256}.`));
        }
        break;
      }
      case 'file-ack':
        this.#acks.get(message.id)?.(Boolean(message.ok));
        this.#acks.delete(message.id);
        break;
      case 'file-cancel':
        if (this.#incoming?.id === message.id) {
          this.#fail(this.#incoming, new SwitchboardError(ErrorCode.TRANSFER_FAILED, 'The sender cancelled.'));
          this.#incoming = null;
          this.#chunks = [];
        }
        break;
      default:
        break;
    }
  }

  #progress(transfer) {
    const now = performance.now();
    if (now - this.#lastProgress < PROGRESS_EVERY_MS && transfer.bytes < transfer.size) return;
    this.#lastProgress = now;
    emit(transfer, 'progress', transfer);
  }

  #onClose() {
    if (this.#incoming) {
      this.#fail(this.#incoming, this.#closedError());
      this.#incoming = null;
      this.#chunks = [];
    }
    for (const resolve of this.#acks.values()) resolve(null);
    this.#acks.clear();
  }

  #fail(transfer, error) {
    if (transfer.state === 'failed' || transfer.state === 'done') return;
    transfer.state = 'failed';
    transfer.error = error;
    transfer.finishedAt = Date.now();
    emit(transfer, 'progress', transfer);
    emit(transfer, 'failed', transfer);
  }
}
