/** The call screen: header, video grid, side panel (chat, files, stats), control bar, banners. */
import { openLocalMedia, listDevices } from '../switchboard.js';
import { $, $$, h, toast, alertBox, copyText, formatDuration } from './ui.js';
import { setIcon } from './icons.js';
import { roomLink } from './settings.js';
import { fillSelect } from './lobby.js';
import { SelfTile, PeerTile } from './tiles.js';
import { ChatPanel } from './chat-panel.js';
import { FilesPanel } from './files-panel.js';
import { StatsPanel } from './stats-panel.js';

export class CallView {
  #app;
  #call = null;
  #tiles = new Map();
  #self = null;
  #timer = null;
  #startedAt = 0;
  #panel = null;
  #unsubscribe = [];

  constructor(app) {
    this.#app = app;
    this.view = $('#call-view');
    this.grid = $('#grid');
    this.waiting = $('#waiting');
    this.banner = $('#banner');
    this.sidePanel = $('#side-panel');
    this.chip = $('#connection-chip');
    this.chat = new ChatPanel((n) => this.#badge('#chat-count', n));
    this.files = new FilesPanel((n) => this.#badge('#files-count', n));
    this.stats = new StatsPanel();

    $('#ctl-mic').addEventListener('click', () => this.#toggleMic());
    $('#ctl-cam').addEventListener('click', () => this.#toggleCamera());
    $('#ctl-screen').addEventListener('click', () => this.#toggleScreen());
    $('#ctl-chat').addEventListener('click', () => this.togglePanel('chat'));
    $('#ctl-files').addEventListener('click', () => this.togglePanel('files'));
    $('#ctl-stats').addEventListener('click', () => this.togglePanel('stats'));
    $('#ctl-settings').addEventListener('click', () => this.#openSettings());
    $('#ctl-hangup').addEventListener('click', () => this.#app.hangUp());
    $('#close-panel').addEventListener('click', () => this.togglePanel(null));
    for (const name of ['chat', 'files', 'stats']) {
      $(`#tab-${name}`).addEventListener('click', () => this.showPanel(name));
    }
    $('.tabs[role="tablist"]').addEventListener('keydown', (event) => this.#tabKeys(event));
    const copyInvite = async (input) => {
      const ok = await copyText(roomLink(this.#call.room), input);
      toast(ok ? 'Invite link copied' : 'Select the link and copy it', { kind: ok ? 'ok' : 'info' });
    };
    $('#invite').addEventListener('click', () => copyInvite(null));
    $('#waiting-copy').addEventListener('click', () => copyInvite($('#waiting-link')));
    document.addEventListener('keydown', (event) => {
      if (this.view.hidden || event.target.closest('input, textarea, select, dialog')) return;
      if (event.key === 'm' && !event.ctrlKey && !event.metaKey) this.#toggleMic();
      if (event.key === 'v' && !event.ctrlKey && !event.metaKey) this.#toggleCamera();
    });
  }

  get call() { return this.#call; }

  /** Subscribes to a call before it joins, so nothing is missed. */
  attach(call) {
    this.detach();
    this.#call = call;
    this.chat.attach(call);
    this.files.attach(call);
    this.stats.attach(call);
    this.grid.replaceChildren();
    this.#tiles.clear();
    this.#self = new SelfTile(call.name);
    this.grid.append(this.#self.el);
    this.banner.replaceChildren();
    const on = (type, fn) => {
      call.addEventListener(type, fn);
      this.#unsubscribe.push(() => call.removeEventListener(type, fn));
    };
    on('state', ({ detail }) => this.#onState(detail.state));
    on('peer-added', ({ detail: peer }) => this.#addPeer(peer));
    on('peer-removed', ({ detail: peer }) => this.#removePeer(peer));
    on('peer-updated', ({ detail: peer }) => this.#tiles.get(peer.id)?.refresh());
    on('peer-slow', ({ detail }) => this.#tiles.get(detail.peer.id)?.setSlow());
    on('peer-failed', ({ detail }) => {
      this.#tiles.get(detail.peer.id)?.setFailed(detail.error);
      this.#app.recordError(detail.error);
    });
    on('chat', ({ detail }) => this.chat.add(detail));
    on('transfer', ({ detail }) => this.files.add(detail));
    on('stats', ({ detail }) => {
      this.#tiles.get(detail.peer.id)?.updatePath(detail.sample);
      this.#tiles.get(detail.peer.id)?.setSpeaking(detail.sample.audioLevelIn);
      this.stats.update(detail.peer);
    });
    on('reconnecting', ({ detail }) => this.#showReconnecting(detail));
    on('resumed', () => {
      this.banner.replaceChildren();
      this.#app.counters.resumed += 1;
      toast('Reconnected to the server — your call carried on', { kind: 'ok', testid: 'resumed-toast' });
    });
    on('rejoined', () => {
      this.banner.replaceChildren();
      this.#app.counters.rejoined += 1;
      toast('Reconnected with a new session — connecting to everyone again',
        { kind: 'warn', testid: 'rejoined-toast' });
    });
    on('error', ({ detail: error }) => {
      this.#app.recordError(error);
      if (error.code === 'negotiation-error') return;
      toast(error.message, { kind: 'error', testid: 'error-toast' });
    });
    on('ended', ({ detail }) => this.#app.onEnded(detail));
  }

  detach() {
    this.#unsubscribe.forEach((fn) => fn());
    this.#unsubscribe = [];
    clearInterval(this.#timer);
    for (const tile of this.#tiles.values()) tile.el.remove();
    this.#tiles.clear();
  }

  /** Shows the call screen once joined. */
  show() {
    const call = this.#call;
    this.view.hidden = false;
    document.body.classList.add('in-call');
    $('#call-title').textContent = call.room;
    document.title = `${call.room} — Switchboard`;
    $('#waiting-link').value = roomLink(call.room);
    $('#relay-chip').hidden = !call.relayOnly && call.turnTransport === 'any';
    $('#relay-chip .text').textContent = call.relayOnly
      ? `Relay only${call.turnTransport !== 'any' ? ` · ${call.turnTransport.toUpperCase()}` : ''}`
      : `TURN ${call.turnTransport.toUpperCase()}`;
    this.#startedAt = Date.now();
    clearInterval(this.#timer);
    this.#timer = setInterval(() => {
      $('#call-timer').textContent = formatDuration(Date.now() - this.#startedAt);
    }, 1000);
    this.#onState(call.state);
    this.refreshLocal();
    this.#layout();
    if (window.matchMedia('(min-width: 1101px)').matches && !this.#panel) this.showPanel('chat');
  }

  hide() {
    this.view.hidden = true;
    document.body.classList.remove('in-call');
    clearInterval(this.#timer);
    this.togglePanel(null);
  }

  /** Redraws our own tile and the media buttons. */
  refreshLocal() {
    const call = this.#call;
    if (!call) return;
    const media = call.mediaState;
    this.#self.update(call.localStream, media, call.screenStream);
    const hasAudio = call.localStream.getAudioTracks().length > 0;
    const hasVideo = call.localStream.getVideoTracks().length > 0;
    this.#setControl('#ctl-mic', !media.audio, hasAudio, media.audio ? 'mic' : 'mic-off',
      !hasAudio ? 'No microphone' : media.audio ? 'Mute microphone' : 'Unmute microphone');
    this.#setControl('#ctl-cam', !media.video, hasVideo, media.video ? 'camera' : 'camera-off',
      !hasVideo ? 'No camera' : media.video ? 'Turn camera off' : 'Turn camera on');
    this.#setControl('#ctl-screen', media.screen, Boolean(navigator.mediaDevices?.getDisplayMedia), 'screen',
      media.screen ? 'Stop sharing the screen' : 'Share screen');
  }

  togglePanel(name) {
    if (name === null || this.#panel === name) {
      this.#panel = null;
      this.sidePanel.hidden = true;
      for (const panel of ['chat', 'files', 'stats']) {
        $(`#ctl-${panel}`).setAttribute('aria-pressed', 'false');
        this.#panelFor(panel).setVisible(false);
      }
      return;
    }
    this.showPanel(name);
  }

  showPanel(name) {
    this.#panel = name;
    this.sidePanel.hidden = false;
    for (const panel of ['chat', 'files', 'stats']) {
      const selected = panel === name;
      const tab = $(`#tab-${panel}`);
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      $(`#panel-${panel}`).hidden = !selected;
      $(`#ctl-${panel}`).setAttribute('aria-pressed', String(selected));
      this.#panelFor(panel).setVisible(selected);
    }
  }

  // ---- peers -----------------------------------------------------------------------------------------------------

  #addPeer(peer) {
    const tile = new PeerTile(peer, {
      onRetry: () => peer.restartIce('retry button'),
      onRelay: () => this.#applyPolicy({ relayOnly: true, turnTransport: this.#call.turnTransport }),
    });
    this.#tiles.set(peer.id, tile);
    this.grid.append(tile.el);
    this.stats.addPeer(peer);
    this.#layout();
    if (this.#call.state === 'joined' && !this.view.hidden && peer.generation === 0) {
      toast(`${peer.name || 'A guest'} joined`, { kind: 'info', testid: 'peer-joined-toast' });
      this.chat.system(`${peer.name || 'A guest'} joined`);
    }
  }

  #removePeer(peer) {
    const tile = this.#tiles.get(peer.id);
    tile?.el.remove();
    this.#tiles.delete(peer.id);
    this.stats.removePeer(peer);
    this.#layout();
    if (this.#call && this.#call.state !== 'left' && peer.closeReason !== 'reset') {
      toast(`${peer.name || 'A guest'} left`, { kind: 'info', testid: 'peer-left-toast' });
      this.chat.system(`${peer.name || 'A guest'} left`);
    }
  }

  #layout() {
    const count = this.#tiles.size + 1;
    this.grid.dataset.count = String(count);
    if (count > 6) this.grid.dataset.many = ''; else delete this.grid.dataset.many;
    this.waiting.hidden = this.#tiles.size > 0;
    $('#participants').textContent = count === 1 ? 'Just you' : `${count} people`;
  }

  // ---- state -----------------------------------------------------------------------------------------------------

  #onState(state) {
    const chip = this.chip;
    const text = chip.querySelector('.text');
    chip.className = 'chip';
    chip.dataset.state = state;
    const transport = this.#call?.signaling?.transport;
    chip.title = transport === 'sse' ? 'Signaling over the HTTP fallback (WebSockets are blocked on this network)'
      : 'Signaling over WebSocket';
    chip.dataset.transport = transport ?? '';
    switch (state) {
      case 'joined':
        chip.classList.add('ok');
        text.textContent = transport === 'sse' ? 'Connected · HTTP' : 'Connected';
        break;
      case 'reconnecting': chip.classList.add('warn'); text.textContent = 'Reconnecting…'; break;
      case 'failed': chip.classList.add('error'); text.textContent = 'Disconnected'; break;
      case 'left': text.textContent = 'Left'; break;
      default: text.textContent = 'Connecting…';
    }
  }

  #showReconnecting({ attempt, delay }) {
    const now = h('button', { type: 'button', class: 'btn small', text: 'Reconnect now',
      on: { click: () => this.#call?.signaling?.reconnectNow() } });
    this.banner.replaceChildren(alertBox({
      kind: 'warn',
      title: 'Lost the connection to the server',
      text: `Reconnecting (attempt ${attempt}, next try in ${(delay / 1000).toFixed(1)} s). Calls already connected `
        + 'keep going; chat and files still work.',
      actions: [now],
      testid: 'reconnecting-banner',
    }));
  }

  // ---- controls --------------------------------------------------------------------------------------------------

  #setControl(selector, pressed, enabled, iconName, label) {
    const button = $(selector);
    button.setAttribute('aria-pressed', String(pressed));
    button.setAttribute('aria-label', label);
    button.dataset.tip = label;
    button.disabled = !enabled;
    setIcon(button.querySelector('svg'), iconName);
  }

  #toggleMic() {
    const call = this.#call;
    if (!call || call.localStream.getAudioTracks().length === 0) return;
    call.setMicrophoneEnabled(!call.mediaState.audio);
    this.#app.settings.audio = call.mediaState.audio;
    this.refreshLocal();
  }

  #toggleCamera() {
    const call = this.#call;
    if (!call || call.localStream.getVideoTracks().length === 0) return;
    call.setCameraEnabled(!call.mediaState.video);
    this.#app.settings.video = call.mediaState.video;
    this.refreshLocal();
  }

  async #toggleScreen() {
    const call = this.#call;
    if (!call) return;
    if (call.screenStream) {
      call.stopScreenShare();
      this.refreshLocal();
      return;
    }
    try {
      await call.startScreenShare();
      call.screenStream?.getVideoTracks()[0]?.addEventListener('ended', () => this.refreshLocal());
      toast('You are sharing your screen', { kind: 'info' });
    } catch (error) {
      if (error.code !== 'permission-denied') toast(error.message, { kind: 'error' });
    }
    this.refreshLocal();
  }

  #panelFor(name) {
    return { chat: this.chat, files: this.files, stats: this.stats }[name];
  }

  #badge(selector, count) {
    const badge = $(selector);
    badge.hidden = count === 0;
    badge.textContent = String(count);
  }

  #tabKeys(event) {
    const tabs = $$('[role="tab"]', event.currentTarget);
    const index = tabs.indexOf(document.activeElement);
    if (index < 0) return;
    let next = null;
    if (event.key === 'ArrowRight') next = tabs[(index + 1) % tabs.length];
    if (event.key === 'ArrowLeft') next = tabs[(index - 1 + tabs.length) % tabs.length];
    if (!next) return;
    event.preventDefault();
    next.focus();
    next.click();
  }

  // ---- settings --------------------------------------------------------------------------------------------------

  async #openSettings() {
    const call = this.#call;
    const dialog = $('#settings-dialog');
    const relay = $('#set-relay-only');
    const transport = $('#set-turn-transport');
    const camera = $('#set-camera');
    const microphone = $('#set-microphone');
    const error = $('#settings-error');
    error.textContent = '';
    relay.checked = call.relayOnly;
    transport.value = call.turnTransport;
    const devices = await listDevices().catch(() => ({ cameras: [], microphones: [] }));
    const stream = call.localStream;
    fillSelect(camera, devices.cameras, 'Camera', stream.getVideoTracks()[0]?.getSettings().deviceId, 'No camera');
    fillSelect(microphone, devices.microphones, 'Microphone', stream.getAudioTracks()[0]?.getSettings().deviceId,
      'No microphone');
    const before = { camera: camera.value, microphone: microphone.value };
    dialog.returnValue = '';
    dialog.showModal();
    dialog.addEventListener('close', async () => {
      if (dialog.returnValue !== 'apply') return;
      if (relay.checked !== call.relayOnly || transport.value !== call.turnTransport) {
        this.#applyPolicy({ relayOnly: relay.checked, turnTransport: transport.value });
      }
      if (camera.value !== before.camera || microphone.value !== before.microphone) {
        await this.#switchDevices(camera.value, microphone.value);
      }
    }, { once: true });
  }

  #applyPolicy(policy) {
    const call = this.#call;
    try {
      call.setIcePolicy(policy);
      Object.assign(this.#app.settings, policy);
      $('#relay-chip').hidden = !call.relayOnly && call.turnTransport === 'any';
      $('#relay-chip .text').textContent = call.relayOnly ? 'Relay only' : `TURN ${call.turnTransport.toUpperCase()}`;
      toast(call.relayOnly ? 'Relay only: reconnecting everyone through TURN'
        : 'Connection settings applied — reconnecting',
        { kind: 'info' });
    } catch (error) {
      toast(error.message, { kind: 'error' });
    }
  }

  async #switchDevices(cameraId, microphoneId) {
    const call = this.#call;
    const settings = this.#app.settings;
    try {
      const stream = await openLocalMedia({
        video: cameraId || false, audio: microphoneId || false, quality: settings.quality,
      });
      const keep = (kind, had) => call.mediaState[kind] || !had;
      const hadAudio = call.localStream.getAudioTracks().length > 0;
      const hadVideo = call.localStream.getVideoTracks().length > 0;
      stream.getAudioTracks().forEach((t) => { t.enabled = keep('audio', hadAudio); });
      stream.getVideoTracks().forEach((t) => { t.enabled = keep('video', hadVideo); });
      const old = call.localStream;
      await call.replaceLocalStream(stream);
      old.getTracks().forEach((t) => t.stop());
      this.#app.localStream = stream;
      settings.cameraId = cameraId;
      settings.microphoneId = microphoneId;
      this.refreshLocal();
    } catch (error) {
      toast(error.message, { kind: 'error' });
    }
  }
}
