/**
 * Errors raised by the Switchboard SDK. Every error carries a stable kebab-case `code` that pages can switch on
 * (server error codes from signaling protocol v1 are passed through unchanged).
 * @module switchboard/errors
 */

/** An error with a machine-readable code and a message for people. */
export class SwitchboardError extends Error {
  /**
   * @param {string} code stable kebab-case code, e.g. `room-full`, `server-unreachable`, `permission-denied`
   * @param {string} message a sentence for people
   * @param {{cause?: unknown, detail?: object}} [options]
   */
  constructor(code, message, { cause, detail } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'SwitchboardError';
    this.code = code;
    this.detail = detail ?? {};
  }
}

/** Codes produced by the SDK itself (the server adds its own, such as `room-full`). */
export const ErrorCode = Object.freeze({
  SERVER_UNREACHABLE: 'server-unreachable',
  ROOM_FULL: 'room-full',
  PERMISSION_DENIED: 'permission-denied',
  NO_DEVICE: 'no-device',
  DEVICE_BUSY: 'device-busy',
  INSECURE_CONTEXT: 'insecure-context',
  UNSUPPORTED: 'unsupported',
  CONNECTION_FAILED: 'connection-failed',
  NO_MATCHING_TURN: 'no-matching-turn',
  TIMEOUT: 'timeout',
  CLOSED: 'closed',
  FILE_TOO_LARGE: 'file-too-large',
  TRANSFER_FAILED: 'transfer-failed',
});

/** Dispatches a CustomEvent carrying `detail` on `target`. */
export function emit(target, type, detail) {
  target.dispatchEvent(new CustomEvent(type, { detail }));
}
