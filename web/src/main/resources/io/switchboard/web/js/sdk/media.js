/**
 * Local media: camera and microphone capture with errors people can act on, device lists, screen capture.
 * @module switchboard/media
 */
import { SwitchboardError, ErrorCode } from './errors.js';

/** Video capture presets. `low` keeps CPU and bandwidth small (phones, tests, many peers). */
export const VideoQuality = Object.freeze({
  low: Object.freeze({ width: 320, height: 180, frameRate: 15, label: 'Low (180p)' }),
  standard: Object.freeze({ width: 640, height: 360, frameRate: 24, label: 'Standard (360p)' }),
  hd: Object.freeze({ width: 1280, height: 720, frameRate: 30, label: 'HD (720p)' }),
});

/**
 * Opens the camera and/or microphone.
 * @param {object} [options]
 * @param {boolean|string} [options.video=true] false, true, or a camera deviceId
 * @param {boolean|string} [options.audio=true] false, true, or a microphone deviceId
 * @param {keyof VideoQuality} [options.quality='standard']
 * @returns {Promise<MediaStream>} an empty stream when both are false
 * @throws {SwitchboardError} `permission-denied`, `no-device`, `device-busy`, `insecure-context`
 */
export async function openLocalMedia({ video = true, audio = true, quality = 'standard' } = {}) {
  if (!video && !audio) return new MediaStream();
  if (!globalThis.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
    throw new SwitchboardError(ErrorCode.INSECURE_CONTEXT,
      'This browser only gives cameras to pages served over HTTPS or from localhost.');
  }
  const preset = VideoQuality[quality] ?? VideoQuality.standard;
  const constraints = {
    video: video ? {
      width: { ideal: preset.width },
      height: { ideal: preset.height },
      frameRate: { ideal: preset.frameRate, max: preset.frameRate },
      ...(typeof video === 'string' ? { deviceId: { exact: video } } : {}),
    } : false,
    audio: audio ? {
      echoCancellation: true,
      noiseSuppression: true,
      autoGainControl: true,
      ...(typeof audio === 'string' ? { deviceId: { exact: audio } } : {}),
    } : false,
  };
  try {
    return await navigator.mediaDevices.getUserMedia(constraints);
  } catch (cause) {
    throw mediaError(cause, { video: Boolean(video), audio: Boolean(audio) });
  }
}

/** Translates a getUserMedia/getDisplayMedia DOMException into a {@link SwitchboardError}. */
export function mediaError(cause, { video = true, audio = true } = {}) {
  const what = video && audio ? 'camera and microphone' : video ? 'camera' : 'microphone';
  switch (cause?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new SwitchboardError(ErrorCode.PERMISSION_DENIED,
        `Access to your ${what} is blocked. Allow it in the browser's site settings, then try again.`, { cause });
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new SwitchboardError(ErrorCode.NO_DEVICE, `No ${what} was found on this device.`, { cause });
    case 'NotReadableError':
    case 'AbortError':
      return new SwitchboardError(ErrorCode.DEVICE_BUSY,
        `Your ${what} could not be started; another application may be using it.`, { cause });
    default:
      return new SwitchboardError('media-error', `Your ${what} could not be opened (${cause?.message ?? cause}).`,
        { cause });
  }
}

/**
 * Lists capture devices. Labels are empty until the page has been granted access once.
 * @returns {Promise<{cameras: MediaDeviceInfo[], microphones: MediaDeviceInfo[], speakers: MediaDeviceInfo[]}>}
 */
export async function listDevices() {
  const devices = await navigator.mediaDevices?.enumerateDevices?.() ?? [];
  return {
    cameras: devices.filter((d) => d.kind === 'videoinput' && d.deviceId),
    microphones: devices.filter((d) => d.kind === 'audioinput' && d.deviceId),
    speakers: devices.filter((d) => d.kind === 'audiooutput' && d.deviceId),
  };
}

/**
 * Captures a screen, window or tab.
 * @returns {Promise<MediaStream>}
 * @throws {SwitchboardError} `permission-denied` when the person cancels, `unsupported` when the browser cannot
 */
export async function openScreen() {
  if (!navigator.mediaDevices?.getDisplayMedia) {
    throw new SwitchboardError(ErrorCode.UNSUPPORTED, 'This browser cannot share the screen.');
  }
  try {
    return await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15, max: 30 } }, audio: false });
  } catch (cause) {
    if (cause?.name === 'NotAllowedError') {
      return Promise.reject(new SwitchboardError(ErrorCode.PERMISSION_DENIED, 'Screen sharing was cancelled.',
        { cause }));
    }
    throw mediaError(cause, { video: true, audio: false });
  }
}

/** Stops every track of `stream` (a no-op for null). */
export function stopStream(stream) {
  stream?.getTracks().forEach((track) => track.stop());
}
