/** Video tiles: one for us and one per remote peer, with name, mute state, path badge and connection overlays. */
import { h, initials, colorFor } from './ui.js';
import { icon } from './icons.js';

/** Our own tile: mirrored preview, never plays our own audio. */
export class SelfTile {
  constructor(name) {
    this.video = h('video', { autoplay: true, playsInline: true, muted: true, 'aria-label': 'Your video' });
    this.video.muted = true;
    this.avatar = h('div', { class: 'avatar', hidden: true },
      h('span', { text: initials(name || 'You'), style: `--avatar-color:${colorFor(name || 'You')}` }));
    this.micOff = icon('mic-off', 'sm');
    this.el = h('figure', { class: 'tile self', 'data-testid': 'self-tile' },
      this.video, this.avatar,
      h('figcaption', { class: 'tile-label' }, h('span', { class: 'name', text: name ? `${name} (you)` : 'You' }),
        this.micOff));
  }

  update(stream, media, screenStream) {
    const source = screenStream ?? stream;
    if (this.video.srcObject !== source) {
      this.video.srcObject = source;
      this.video.play().catch(() => {});
    }
    const hasVideo = Boolean(screenStream) || (media.video && stream.getVideoTracks().length > 0);
    this.avatar.hidden = hasVideo;
    this.video.hidden = !hasVideo;
    this.el.classList.toggle('screen', Boolean(screenStream));
    this.micOff.style.display = media.audio ? 'none' : '';
  }
}

/** A remote peer's tile. */
export class PeerTile {
  #peer;
  #onRetry;
  #state = '';
  #slow = false;
  #failed = null;

  /**
   * @param {import('../switchboard.js').RemotePeer} peer
   * @param {{onRetry: () => void, onRelay: () => void}} actions
   */
  constructor(peer, { onRetry, onRelay }) {
    this.#peer = peer;
    this.#onRetry = onRetry;
    this.onRelay = onRelay;
    const name = peer.name || 'Guest';
    this.video = h('video', { autoplay: true, playsInline: true, 'aria-label': `Video of ${name}` });
    this.video.srcObject = peer.stream;
    this.avatar = h('div', { class: 'avatar' },
      h('span', { text: initials(name), style: `--avatar-color:${colorFor(peer.id)}` }));
    this.micOff = icon('mic-off', 'sm');
    this.micOff.style.display = 'none';
    this.badge = h('span', { class: 'badge', 'data-testid': 'path-badge', hidden: true });
    this.overlay = h('div', { class: 'tile-overlay', 'data-testid': 'tile-status' });
    this.unmute = h('button', { type: 'button', class: 'btn primary unmute', hidden: true,
      on: { click: () => this.#play(true) } }, icon('volume-off', 'sm'), 'Click to hear');
    this.el = h('figure', { class: 'tile', 'data-testid': 'peer-tile', 'data-peer-id': peer.id,
      'data-peer-name': name, 'data-state': 'connecting' },
    this.video, this.avatar,
    h('figcaption', { class: 'tile-label' }, h('span', { class: 'name', text: name }), this.micOff),
    h('div', { class: 'tile-badges' }, this.badge),
    this.overlay, this.unmute);
    this.video.addEventListener('loadeddata', () => this.refresh());
    this.video.addEventListener('resize', () => this.refresh());
    this.refresh();
  }

  /** Re-reads the peer's connection and media state. */
  refresh() {
    const peer = this.#peer;
    const state = peer.connectionState;
    if (state === 'connected') {
      this.#slow = false;
      this.#failed = null;
    }
    this.#state = state;
    this.el.dataset.state = this.#failed ? 'failed' : state;
    const hasVideoTrack = peer.stream.getVideoTracks().some((t) => t.readyState === 'live');
    const showVideo = hasVideoTrack && peer.mediaState.video !== false && this.video.videoWidth > 0;
    this.avatar.hidden = showVideo;
    this.micOff.style.display = peer.mediaState.audio === false ? '' : 'none';
    if (peer.stream.getTracks().length > 0 && this.video.paused) this.#play(false);
    this.#renderOverlay();
  }

  /** Shows the path (direct or relay, and the transport to TURN) from a stats sample. */
  updatePath(sample) {
    const pair = sample?.candidatePair;
    if (!pair || pair.state !== 'succeeded') return;
    const relay = pair.local.type === 'relay' || pair.remote.type === 'relay';
    const via = pair.local.type === 'relay' ? (pair.local.relayProtocol ?? pair.local.protocol) : pair.local.protocol;
    this.badge.textContent = relay ? `Relay · ${String(via ?? '').toUpperCase()}` : 'Direct';
    this.badge.className = `badge ${relay ? 'relay' : 'direct'}`;
    this.badge.title = `You: ${pair.local.type} (${pair.local.protocol}) ⇄ `
      + `${pair.remote.type} (${pair.remote.protocol})`;
    this.badge.dataset.localType = pair.local.type;
    this.badge.dataset.remoteType = pair.remote.type;
    this.badge.hidden = false;
  }

  /** Outlines the tile while the peer is audible. */
  setSpeaking(level) {
    this.el.classList.toggle('speaking', level !== null && level > 0.03 && this.#peer.mediaState.audio !== false);
  }

  setSlow() {
    this.#slow = true;
    this.#renderOverlay();
  }

  setFailed(error) {
    this.#failed = error;
    this.el.dataset.state = 'failed';
    this.#renderOverlay();
  }

  #play(userGesture) {
    this.video.muted = false;
    this.video.play().then(() => { this.unmute.hidden = true; }).catch(() => {
      if (userGesture) return;
      // Autoplay with sound was refused: play muted and offer a click to hear.
      this.video.muted = true;
      this.video.play().catch(() => {});
      this.unmute.hidden = false;
    });
  }

  #renderOverlay() {
    const name = this.#peer.name || 'Guest';
    const overlay = this.overlay;
    const set = (kind, iconOrSpinner, title, text, actions = []) => {
      overlay.className = `tile-overlay ${kind}`;
      overlay.dataset.kind = kind;
      overlay.replaceChildren(iconOrSpinner, h('strong', { text: title }), text ? h('p', { text }) : null, ...actions);
      overlay.hidden = false;
    };
    if (this.#failed) {
      set('error', icon('alert-circle', 'lg'), `Couldn't connect to ${name}`,
        'A firewall may be blocking the way between you. Try again, or switch on Relay only so the call goes '
        + 'through the TURN server.', [
          h('div', { class: 'actions', style: 'display:flex;gap:8px' },
            h('button', { type: 'button', class: 'btn small primary', text: 'Try again',
              on: { click: () => { this.#failed = null; this.#onRetry(); this.#renderOverlay(); } } }),
            h('button', { type: 'button', class: 'btn small', text: 'Use relay only',
              on: { click: () => this.onRelay() } })),
        ]);
      return;
    }
    switch (this.#state) {
      case 'connected':
        overlay.hidden = true;
        overlay.dataset.kind = 'none';
        break;
      case 'disconnected':
        set('warn', h('span', { class: 'spinner' }), 'Connection interrupted',
          `Trying to get ${name} back…`);
        break;
      case 'failed':
        set('warn', h('span', { class: 'spinner' }), `Reconnecting to ${name}…`,
          'The connection failed; restarting ICE.');
        break;
      case 'closed':
        set('warn', icon('hangup'), `${name} left`, '');
        break;
      default:
        if (this.#slow) {
          set('warn', h('span', { class: 'spinner' }), `Still connecting to ${name}…`,
            'This is taking longer than usual. Strict firewalls can block calls: Relay only in Settings usually '
            + 'helps, and Diagnostics shows what gets through.');
        } else {
          set('info', h('span', { class: 'spinner' }), `Connecting to ${name}…`, '');
        }
    }
  }
}
