/** The lobby: camera preview with device choice, room and name, connection options, invite link. */
import { openLocalMedia, listDevices, stopStream } from '../switchboard.js';
import { $, h, alertBox, copyText, toast, randomRoomName, initials } from './ui.js';
import { icon, setIcon } from './icons.js';
import { saveSettings, roomLink, ROOM_PATTERN } from './settings.js';

/**
 * What the person will send: `full` (camera and microphone), `audio` (microphone only), `video` (camera only) or
 * `none` (watch, listen and chat only).
 */
export const MediaMode = Object.freeze({ FULL: 'full', AUDIO: 'audio', VIDEO: 'video', NONE: 'none' });

export class Lobby {
  #app;
  #previewRequest = 0;
  #meter = null;

  /** @param {object} app the page controller (settings, localStream, join()) */
  constructor(app) {
    this.#app = app;
    this.view = $('#lobby-view');
    this.form = $('#join-form');
    this.room = $('#room');
    this.name = $('#name');
    this.camera = $('#camera');
    this.microphone = $('#microphone');
    this.quality = $('#quality');
    this.relayOnly = $('#relay-only');
    this.turnTransport = $('#turn-transport');
    this.joinButton = $('#join-button');
    this.status = $('#lobby-status');
    this.mediaAlert = $('#media-alert');
    this.preview = $('#preview');
    this.placeholder = $('#preview-placeholder');
    this.placeholderText = $('#preview-placeholder-text');
    this.micButton = $('#lobby-mic');
    this.camButton = $('#lobby-cam');
    this.shareLink = $('#share-link');

    const settings = app.settings;
    this.name.value = settings.name;
    this.quality.value = settings.quality;
    this.relayOnly.checked = settings.relayOnly;
    this.turnTransport.value = settings.turnTransport;
    if (settings.relayOnly || settings.turnTransport !== 'any') $('#advanced').open = true;

    this.room.addEventListener('input', () => this.#onRoomInput());
    $('#random-room').addEventListener('click', () => {
      this.room.value = randomRoomName();
      this.#onRoomInput();
    });
    this.name.addEventListener('input', () => {
      settings.name = this.name.value.trim();
      this.#updatePreviewName();
    });
    this.camera.addEventListener('change', () => {
      settings.cameraId = this.camera.value;
      settings.video = true;
      this.startPreview();
    });
    this.microphone.addEventListener('change', () => {
      settings.microphoneId = this.microphone.value;
      settings.audio = true;
      this.startPreview();
    });
    this.quality.addEventListener('change', () => {
      settings.quality = this.quality.value;
      this.startPreview();
    });
    this.relayOnly.addEventListener('change', () => { settings.relayOnly = this.relayOnly.checked; });
    this.turnTransport.addEventListener('change', () => { settings.turnTransport = this.turnTransport.value; });
    this.micButton.addEventListener('click', () => this.#toggle('audio'));
    this.camButton.addEventListener('click', () => this.#toggle('video'));
    $('#copy-link').addEventListener('click', async () => {
      if (!this.#validRoom()) return;
      const ok = await copyText(this.shareLink.value, this.shareLink);
      toast(ok ? 'Invite link copied' : 'Select the link and copy it', { kind: ok ? 'ok' : 'info' });
    });
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#submit();
    });
    navigator.mediaDevices?.addEventListener?.('devicechange', () => this.#populateDevices());
  }

  /** Shows the lobby with `room` filled in (a room from the URL, the last room, or a new random name). */
  show(room) {
    this.room.value = room || this.room.value || randomRoomName();
    this.#onRoomInput();
    this.#updatePreviewName();
    this.setBusy(false);
    this.view.hidden = false;
    document.title = 'Switchboard — video rooms';
    if (!this.#app.localStream || this.#app.localStream.getTracks().every((t) => t.readyState === 'ended')) {
      this.startPreview();
    } else {
      this.#attachPreview();
    }
  }

  hide() {
    this.view.hidden = true;
    this.preview.srcObject = null;
    this.#stopMeter();
  }

  /** Shows a message under the Join button (an Error-like object or null to clear). */
  showStatus(node) {
    this.status.replaceChildren(...(node ? [node] : []));
  }

  setBusy(busy) {
    this.joinButton.disabled = busy;
    const label = this.joinButton.querySelector('.btn-label');
    this.joinButton.querySelector('.spinner')?.remove();
    if (busy) {
      this.joinButton.prepend(h('span', { class: 'spinner', 'aria-hidden': 'true' }));
      label.textContent = 'Joining…';
    } else {
      label.textContent = this.#joinLabel();
    }
  }

  /** (Re)opens camera and microphone for the preview; falls back to what is available. */
  async startPreview() {
    const request = ++this.#previewRequest;
    const app = this.#app;
    const settings = app.settings;
    stopStream(app.localStream);
    app.localStream = null;
    this.preview.srcObject = null;
    this.#stopMeter();
    this.mediaAlert.replaceChildren();
    this.#placeholder('Starting your camera and microphone…', true);
    app.mediaError = null;

    const attempt = async (video, audio) => openLocalMedia({
      video: video ? (settings.cameraId || true) : false,
      audio: audio ? (settings.microphoneId || true) : false,
      quality: settings.quality,
    });

    let stream = null;
    let mode = MediaMode.FULL;
    try {
      stream = await attempt(true, true);
    } catch (error) {
      if (request !== this.#previewRequest) return;
      if (error.code === 'no-device' && (settings.cameraId || settings.microphoneId)) {
        // A remembered device is gone: forget it and try the defaults.
        settings.cameraId = '';
        settings.microphoneId = '';
        try {
          stream = await attempt(true, true);
        } catch (retryError) {
          error = retryError;
        }
      }
      if (!stream && (error.code === 'no-device' || error.code === 'device-busy')) {
        // Use whichever device does work.
        stream = await attempt(false, true).then((s) => { mode = MediaMode.AUDIO; return s; }, () => null)
          ?? await attempt(true, false).then((s) => { mode = MediaMode.VIDEO; return s; }, () => null);
      }
      if (!stream) {
        if (request !== this.#previewRequest) return;
        app.mediaMode = MediaMode.NONE;
        app.mediaError = { code: error.code, message: error.message };
        this.#showMediaError(error);
        this.#populateDevices();
        this.setBusy(false);
        return;
      }
      app.mediaError = { code: error.code, message: error.message, partial: true };
      this.#showPartialMedia(mode, error);
    }
    if (request !== this.#previewRequest) {
      stopStream(stream);
      return;
    }
    app.localStream = stream;
    app.mediaMode = mode;
    stream.getAudioTracks().forEach((t) => { t.enabled = settings.audio; });
    stream.getVideoTracks().forEach((t) => { t.enabled = settings.video; });
    this.#attachPreview();
    this.#populateDevices();
    this.setBusy(false);
  }

  // ---- internals -------------------------------------------------------------------------------------------------

  #attachPreview() {
    const stream = this.#app.localStream;
    if (!stream) return;
    this.preview.srcObject = stream;
    this.preview.play().catch(() => {});
    this.#refreshToggles();
    this.#startMeter(stream);
  }

  #refreshToggles() {
    const stream = this.#app.localStream;
    const hasAudio = Boolean(stream?.getAudioTracks().length);
    const hasVideo = Boolean(stream?.getVideoTracks().length);
    const audioOn = hasAudio && this.#app.settings.audio;
    const videoOn = hasVideo && this.#app.settings.video;
    this.#setToggle(this.micButton, !audioOn, hasAudio, audioOn ? 'mic' : 'mic-off',
      !hasAudio ? 'No microphone' : audioOn ? 'Mute microphone' : 'Unmute microphone');
    this.#setToggle(this.camButton, !videoOn, hasVideo, videoOn ? 'camera' : 'camera-off',
      !hasVideo ? 'No camera' : videoOn ? 'Turn camera off' : 'Turn camera on');
    if (videoOn) {
      this.placeholder.hidden = true;
    } else if (stream) {
      this.placeholder.replaceChildren(h('div', { class: 'avatar', style: 'position:static' },
        h('span', { text: initials(this.name.value || 'You') })),
        h('span', { text: hasVideo ? 'Your camera is off' : 'No camera — others will see your initials' }));
      this.placeholder.hidden = false;
    }
    this.setBusy(this.joinButton.disabled && this.joinButton.querySelector('.spinner') !== null);
  }

  #setToggle(button, pressed, enabled, iconName, label) {
    button.setAttribute('aria-pressed', String(pressed));
    button.setAttribute('aria-label', label);
    button.dataset.tip = label;
    button.disabled = !enabled;
    setIcon(button.querySelector('svg'), iconName);
  }

  #toggle(kind) {
    const settings = this.#app.settings;
    settings[kind] = !settings[kind];
    const tracks = kind === 'audio' ? this.#app.localStream?.getAudioTracks() : this.#app.localStream?.getVideoTracks();
    tracks?.forEach((t) => { t.enabled = settings[kind]; });
    this.#refreshToggles();
  }

  #placeholder(text, busy) {
    this.placeholder.replaceChildren(
      busy ? h('span', { class: 'spinner', 'aria-hidden': 'true' }) : icon('camera-off', 'lg'),
      h('span', { id: 'preview-placeholder-text', text }));
    this.placeholder.hidden = false;
  }

  #showMediaError(error) {
    const retry = h('button', { type: 'button', class: 'btn small', text: 'Try again', 'data-testid': 'media-retry',
      on: { click: () => this.startPreview() } });
    const titles = {
      'permission-denied': 'Camera and microphone are blocked',
      'no-device': 'No camera or microphone found',
      'device-busy': 'Camera or microphone is busy',
      'insecure-context': 'Camera needs a secure page',
    };
    const advice = {
      'permission-denied': 'Allow access with the camera icon in the address bar (or the site settings), then try '
        + 'again. You can also join without them to watch, listen and chat.',
      'no-device': 'Plug in a camera or headset and try again, or join without them to watch, listen and chat.',
      'device-busy': 'Close other apps that use the camera (other calls, camera apps), then try again — or join '
        + 'without them.',
      'insecure-context': 'Browsers only give cameras to pages served over HTTPS or from localhost. You can still '
        + 'join to watch, listen and chat.',
    };
    this.mediaAlert.replaceChildren(alertBox({
      kind: 'error',
      title: titles[error.code] ?? 'Camera and microphone unavailable',
      text: advice[error.code] ?? error.message,
      actions: [retry],
      testid: 'media-error',
    }));
    this.mediaAlert.firstElementChild.dataset.code = error.code;
    this.#placeholder(titles[error.code] ?? 'No camera', false);
    this.#refreshToggles();
  }

  #showPartialMedia(mode, error) {
    const text = mode === MediaMode.AUDIO
      ? 'No camera is available, so you will join with your microphone only. Others will see your initials.'
      : 'No microphone is available, so you will join with your camera only.';
    this.mediaAlert.replaceChildren(alertBox({
      kind: 'warn',
      title: mode === MediaMode.AUDIO ? 'Joining without camera' : 'Joining without microphone',
      text,
      actions: [h('button', { type: 'button', class: 'btn small', text: 'Try again',
        on: { click: () => this.startPreview() } })],
      testid: 'media-warning',
    }));
    this.mediaAlert.firstElementChild.dataset.code = error.code;
  }

  async #populateDevices() {
    let devices;
    try {
      devices = await listDevices();
    } catch {
      return;
    }
    const stream = this.#app.localStream;
    const activeCamera = stream?.getVideoTracks()[0]?.getSettings().deviceId;
    const activeMic = stream?.getAudioTracks()[0]?.getSettings().deviceId;
    fillSelect(this.camera, devices.cameras, 'Camera', activeCamera || this.#app.settings.cameraId, 'No camera found');
    fillSelect(this.microphone, devices.microphones, 'Microphone', activeMic || this.#app.settings.microphoneId,
      'No microphone found');
  }

  #onRoomInput() {
    const valid = this.#validRoom(false);
    this.shareLink.value = valid ? roomLink(this.room.value.trim()) : '';
  }

  #validRoom(report = true) {
    const value = this.room.value.trim();
    const valid = ROOM_PATTERN.test(value);
    this.room.setAttribute('aria-invalid', String(!valid && value.length > 0));
    const old = $('#room-error');
    old?.remove();
    if (!valid && report) {
      this.room.closest('.field').append(h('p', { id: 'room-error', class: 'field-error', role: 'alert',
        'data-testid': 'room-error',
        text: value ? 'Use 1 to 64 letters, digits, “-” or “_” (no spaces).' : 'Choose a room name.' }));
      this.room.focus();
    }
    return valid;
  }

  #updatePreviewName() {
    const label = $('#preview-name');
    label.textContent = this.name.value.trim() || 'You';
    label.hidden = false;
  }

  #joinLabel() {
    switch (this.#app.mediaMode) {
      case MediaMode.NONE: return 'Join without camera and microphone';
      case MediaMode.AUDIO: return 'Join with microphone only';
      case MediaMode.VIDEO: return 'Join with camera only';
      default: return 'Join room';
    }
  }

  #submit() {
    if (!this.#validRoom()) return;
    const settings = this.#app.settings;
    settings.name = this.name.value.trim();
    settings.quality = this.quality.value;
    settings.relayOnly = this.relayOnly.checked;
    settings.turnTransport = this.turnTransport.value;
    saveSettings(settings);
    this.#app.join(this.room.value.trim());
  }

  #startMeter(stream) {
    this.#stopMeter();
    const track = stream.getAudioTracks()[0];
    const meter = $('#mic-meter');
    if (!track || !globalThis.AudioContext) {
      meter.hidden = true;
      return;
    }
    try {
      const context = new AudioContext();
      const analyser = context.createAnalyser();
      analyser.fftSize = 256;
      context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
      const data = new Uint8Array(analyser.frequencyBinCount);
      const bars = [...meter.children];
      const timer = setInterval(() => {
        if (context.state === 'suspended') return;
        analyser.getByteTimeDomainData(data);
        let peak = 0;
        for (const v of data) peak = Math.max(peak, Math.abs(v - 128));
        const level = track.enabled ? Math.min(1, peak / 64) : 0;
        bars.forEach((bar, i) => { bar.style.height = `${3 + Math.max(0, level * 12 - i * 2)}px`; });
      }, 100);
      meter.hidden = false;
      const resume = () => context.resume().catch(() => {});
      document.addEventListener('pointerdown', resume, { once: true });
      this.#meter = { context, timer };
    } catch {
      meter.hidden = true;
    }
  }

  #stopMeter() {
    if (!this.#meter) return;
    clearInterval(this.#meter.timer);
    this.#meter.context.close().catch(() => {});
    this.#meter = null;
  }
}

/** Fills a device <select>, keeping `selected` when it is still there. */
export function fillSelect(select, devices, kind, selected, emptyText) {
  select.replaceChildren();
  if (devices.length === 0) {
    select.append(h('option', { value: '', text: emptyText }));
    select.disabled = true;
    return;
  }
  select.disabled = false;
  devices.forEach((device, index) => {
    select.append(h('option', { value: device.deviceId, text: device.label || `${kind} ${index + 1}` }));
  });
  if (selected && devices.some((d) => d.deviceId === selected)) select.value = selected;
}
