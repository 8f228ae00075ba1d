/** The person's choices, kept in localStorage so the lobby remembers them. */
const KEY = 'switchboard.settings.v1';

const DEFAULTS = Object.freeze({
  name: '',
  cameraId: '',
  microphoneId: '',
  quality: 'standard',
  relayOnly: false,
  turnTransport: 'any',
  audio: true,
  video: true,
});

export function loadSettings() {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    return { ...DEFAULTS, ...stored, audio: true, video: true };
  } catch {
    return { ...DEFAULTS };
  }
}

export function saveSettings(settings) {
  try {
    const { audio, video, ...kept } = settings;
    localStorage.setItem(KEY, JSON.stringify(kept));
  } catch {
    // Private mode or storage full: the settings just are not remembered.
  }
}

/** The room link people can share. */
export function roomLink(room) {
  const url = new URL('/', location.href);
  url.search = new URLSearchParams({ room }).toString();
  return url.href;
}

export const ROOM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
