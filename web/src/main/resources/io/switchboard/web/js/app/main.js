/**
 * The web client's page controller: lobby → call → ended, error handling for every failure a person can meet, and
 * `window.switchboardApp`, a read-mostly hook for support and automated tests.
 */
import { Call, VERSION, stopStream } from '../switchboard.js';
import { $, h, alertBox, showDialog, toast } from './ui.js';
import { hydrateIcons } from './icons.js';
import { loadSettings, roomLink } from './settings.js';
import { Lobby, MediaMode } from './lobby.js';
import { CallView } from './call-view.js';

class App {
  constructor() {
    this.settings = loadSettings();
    this.localStream = null;
    this.mediaMode = MediaMode.FULL;
    this.mediaError = null;
    this.view = 'lobby';
    this.call = null;
    this.room = null;
    this.counters = { resumed: 0, rejoined: 0, joins: 0 };
    this.errors = [];
    this.lastDialog = null;
    this.lobby = new Lobby(this);
    this.callView = new CallView(this);
    $('#rejoin').addEventListener('click', () => this.join(this.room));
    $('#back-to-lobby').addEventListener('click', () => this.showLobby(this.room));
    window.addEventListener('beforeunload', () => this.call?.hangUp());
  }

  start() {
    const room = new URLSearchParams(location.search).get('room');
    this.showLobby(room);
  }

  showLobby(room) {
    this.view = 'lobby';
    this.callView.hide();
    $('#ended-view').hidden = true;
    this.lobby.show(room);
  }

  /** Joins `room` with the lobby's choices. */
  async join(room) {
    this.room = room;
    if (this.view === 'ended') this.showLobby(room);
    this.lobby.showStatus(null);
    this.lobby.setBusy(true);
    if (!this.localStream && this.mediaMode !== MediaMode.NONE) await this.lobby.startPreview();
    const call = new Call({
      room,
      name: this.settings.name,
      localStream: this.localStream ?? new MediaStream(),
      relayOnly: this.settings.relayOnly,
      turnTransport: this.settings.turnTransport,
    });
    this.call = call;
    this.callView.attach(call);
    call.addEventListener('waiting', ({ detail }) => this.#showJoinWaiting(detail, call));
    try {
      await call.join();
    } catch (error) {
      this.callView.detach();
      this.call = null;
      this.lobby.setBusy(false);
      this.recordError(error);
      if (error.code === 'left') this.lobby.showStatus(null);
      else this.#showJoinError(error, room);
      return;
    }
    this.lobby.showStatus(null);
    this.counters.joins += 1;
    this.view = 'call';
    history.replaceState(null, '', roomLink(room));
    this.lobby.hide();
    this.callView.show();
  }

  hangUp() {
    this.call?.hangUp();
  }

  /** The call ended: by hanging up, or because the server ended the session. */
  onEnded({ reason, error }) {
    this.callView.hide();
    this.view = 'ended';
    const title = $('#ended-title');
    const text = $('#ended-text');
    const iconBox = $('#ended-icon');
    iconBox.classList.toggle('error', Boolean(error));
    if (error) {
      title.textContent = 'The call ended';
      text.textContent = reason === 'session-replaced'
        ? 'You joined this room from another tab or window, so this one was disconnected.'
        : `The server ended the session (${error.message}).`;
    } else {
      title.textContent = 'You left the room';
      text.textContent = `You can rejoin “${this.room}” or go back to the lobby.`;
    }
    $('#ended-view').hidden = false;
    $('#rejoin').focus();
  }

  recordError(error) {
    this.errors.push({ code: error?.code ?? 'error', message: error?.message ?? String(error), at: Date.now() });
    if (this.errors.length > 50) this.errors.shift();
  }

  /** The server cannot take the join now (draining, or a node cut off from Redis); the SDK tries again by itself. */
  #showJoinWaiting({ attempt, delay, reason }, call) {
    this.recordError({ code: reason, message: `join refused for now (attempt ${attempt})` });
    const why = reason === 'unavailable'
      ? 'The server has lost touch with the rest of its cluster for a moment.'
      : 'The server is restarting or handing its calls to another one.';
    this.lobby.showStatus(alertBox({
      kind: 'warn',
      title: 'Waiting for the server to take the call',
      text: `${why} Trying again in ${Math.max(1, Math.round(delay / 1000))} s (attempt ${attempt}); nothing to do.`,
      actions: [h('button', { type: 'button', class: 'btn small', text: 'Cancel', on: { click: () => call.hangUp() } })],
      testid: 'join-waiting',
    }));
    this.lobby.status.firstElementChild?.setAttribute('data-code', reason);
  }

  async #showJoinError(error, room) {
    const retry = () => this.join(room);
    switch (error.code) {
      case 'room-full': {
        this.lastDialog = 'room-full';
        const choice = await showDialog({
          title: 'This room is full',
          body: `“${room}” already has as many people as it can hold. Try again when someone leaves, or pick `
            + 'another room.',
          kind: 'warn',
          testid: 'room-full-dialog',
          actions: [
            { label: 'Try again', value: 'retry' },
            { label: 'Choose another room', value: 'other', primary: true },
          ],
        });
        if (choice === 'retry') retry();
        if (choice === 'other') {
          $('#room').value = '';
          $('#random-room').click();
          $('#room').focus();
        }
        break;
      }
      case 'server-unreachable':
      case 'timeout':
        this.lobby.showStatus(alertBox({
          kind: 'error',
          title: 'Can’t reach the Switchboard server',
          text: `${location.host} is not answering. Check your network connection; if it works, the server may be `
            + 'down or restarting.',
          actions: [h('button', { type: 'button', class: 'btn small', text: 'Try again', on: { click: retry } }),
            h('a', { class: 'btn small', href: '/diagnostics.html', text: 'Run diagnostics' })],
          testid: 'join-error',
        }));
        break;
      case 'no-matching-turn':
        this.lobby.showStatus(alertBox({
          kind: 'error', title: 'That TURN transport is not offered',
          text: `${error.message} Choose “Automatic” under Quality and connection.`, testid: 'join-error',
        }));
        $('#advanced').open = true;
        break;
      case 'invalid-room':
        this.lobby.showStatus(alertBox({ kind: 'error', title: 'That room name is not valid', text: error.message,
          testid: 'join-error' }));
        break;
      case 'unauthorized':
        this.lobby.showStatus(alertBox({ kind: 'error', title: 'This server needs an access token',
          text: 'Ask the person who runs it for a link that includes one.', testid: 'join-error' }));
        break;
      default:
        this.lobby.showStatus(alertBox({
          kind: 'error', title: 'Could not join the room', text: `${error.message} (${error.code ?? 'error'})`,
          actions: [h('button', { type: 'button', class: 'btn small', text: 'Try again', on: { click: retry } })],
          testid: 'join-error',
        }));
    }
    if (error.code) this.lobby.status.firstElementChild?.setAttribute('data-code', error.code);
  }

  /** A plain-object picture of the page, for tests and support. */
  snapshot() {
    return {
      version: VERSION,
      view: this.view,
      room: this.room,
      mediaMode: this.mediaMode,
      mediaError: this.mediaError,
      localTracks: this.localStream?.getTracks()
        .map((t) => ({ kind: t.kind, enabled: t.enabled, readyState: t.readyState })) ?? [],
      settings: { ...this.settings },
      counters: { ...this.counters },
      errors: this.errors.slice(-10),
      lastDialog: this.lastDialog,
      call: this.call?.toJSON() ?? null,
      charts: this.callView.stats.chartInfo(),
    };
  }
}

hydrateIcons();
const app = new App();

/**
 * Hooks for support and automated tests. Stable: `snapshot()` (plain JSON of the page state), `call` (the SDK Call),
 * `dropSignaling()` (cuts the signaling WebSocket as a network failure would; the SDK reconnects and resumes).
 */
window.switchboardApp = Object.freeze({
  version: VERSION,
  snapshot: () => app.snapshot(),
  get call() { return app.call; },
  dropSignaling: () => app.call?.signaling?.dropConnection(),
  toast,
});

app.start();
// Leave the camera off once the page goes away.
window.addEventListener('pagehide', () => stopStream(app.localStream));
