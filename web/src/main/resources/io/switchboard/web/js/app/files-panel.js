/** Files panel: send by picking or dropping a file; one row per transfer with progress and the SHA-256 verdict. */
import { $, h, formatBytes, toast } from './ui.js';
import { icon } from './icons.js';

export class FilesPanel {
  #call = null;
  #rows = new Map();
  #onUnread;

  /** @param {(count: number) => void} onUnread called with the count of new incoming files */
  constructor(onUnread) {
    this.#onUnread = onUnread;
    this.list = $('#transfers');
    this.input = $('#file-input');
    this.dropzone = $('#dropzone');
    this.unread = 0;
    this.visible = false;
    this.input.addEventListener('change', () => {
      for (const file of this.input.files) this.send(file);
      this.input.value = '';
    });
    for (const type of ['dragenter', 'dragover']) {
      this.dropzone.addEventListener(type, (event) => {
        event.preventDefault();
        this.dropzone.classList.add('dragging');
      });
    }
    for (const type of ['dragleave', 'drop']) {
      this.dropzone.addEventListener(type, () => this.dropzone.classList.remove('dragging'));
    }
    this.dropzone.addEventListener('drop', (event) => {
      event.preventDefault();
      for (const file of event.dataTransfer?.files ?? []) this.send(file);
    });
  }

  attach(call) {
    this.#call = call;
    this.#rows.clear();
    this.list.replaceChildren();
    this.unread = 0;
    this.#onUnread(0);
  }

  setVisible(visible) {
    this.visible = visible;
    if (visible) {
      this.unread = 0;
      this.#onUnread(0);
    }
  }

  /** Sends `file` to everyone in the room. */
  send(file) {
    if (!this.#call) return;
    if (this.#call.peers.size === 0) {
      toast('Nobody else is here yet — wait for someone to join before sending a file.', { kind: 'warn' });
      return;
    }
    this.#call.sendFile(file);
  }

  /** Adds a row for a transfer from the call's `transfer` event. */
  add(transfer) {
    const peerName = () => this.#call?.peers.get(transfer.peerId)?.name || 'Guest';
    const progress = h('progress', { max: 100, value: 0, 'data-testid': 'transfer-progress',
      'aria-label': `Progress of ${transfer.name}` });
    const status = h('span', { class: 'transfer-status', 'data-testid': 'transfer-status' });
    const verdict = h('span', { 'data-testid': 'transfer-verdict' });
    const hash = h('div', { class: 'transfer-hash', 'data-testid': 'transfer-hash' });
    const action = h('span', { class: 'transfer-action' });
    const row = h('li', {
      class: 'transfer', 'data-testid': 'transfer', 'data-direction': transfer.direction,
      'data-transfer-id': transfer.id, 'data-state': transfer.state,
    },
    h('div', { class: 'transfer-head' },
      icon(transfer.direction === 'send' ? 'upload' : 'download', 'sm'),
      h('span', { class: 'transfer-name', text: transfer.name, title: transfer.name }),
      action),
    progress,
    h('div', { class: 'transfer-sub' },
      h('span', {
        text: `${transfer.direction === 'send' ? 'To' : 'From'} ${peerName()} · ${formatBytes(transfer.size)}`,
      }),
      status, verdict),
    hash);
    this.list.prepend(row);
    this.#rows.set(transfer.id + transfer.peerId, row);

    const render = () => {
      const percent = Math.round(transfer.progress * 100);
      progress.value = percent;
      progress.setAttribute('aria-valuenow', String(percent));
      row.dataset.state = transfer.state;
      row.dataset.progress = String(percent);
      row.classList.toggle('done', transfer.state === 'done');
      row.classList.toggle('failed', transfer.state === 'failed');
      const rate = transfer.throughput > 0 ? ` · ${formatBytes(transfer.throughput)}/s` : '';
      switch (transfer.state) {
        case 'queued': status.textContent = '· Waiting'; break;
        case 'hashing': status.textContent = '· Computing SHA-256…'; break;
        case 'sending': status.textContent = `· ${percent} %${rate}`; break;
        case 'receiving': status.textContent = `· ${percent} %${rate}`; break;
        case 'verifying': status.textContent = '· Checking SHA-256…'; break;
        case 'done': status.textContent = `· 100 %${rate}`; break;
        case 'failed': status.textContent = `· ${transfer.error?.message ?? 'Failed'}`; break;
        default: break;
      }
      verdict.replaceChildren();
      if (transfer.verified === true) {
        verdict.append(h('span', { class: 'verified' }, icon('check-circle', 'sm'),
          transfer.direction === 'send' ? 'Delivered, SHA-256 verified' : 'SHA-256 verified'));
      } else if (transfer.verified === false) {
        verdict.append(h('span', { class: 'unverified' }, icon('x-circle', 'sm'), 'SHA-256 mismatch'));
      }
      verdict.dataset.verified = String(transfer.verified);
      const digest = transfer.direction === 'receive' ? (transfer.actualSha256 ?? transfer.sha256) : transfer.sha256;
      hash.textContent = digest ? `SHA-256 ${digest}` : '';
      hash.dataset.sha256 = digest ?? '';
      if (transfer.state === 'done' && transfer.blob && !action.firstChild) {
        const url = URL.createObjectURL(transfer.blob);
        action.append(h('a', { class: 'btn small', href: url, download: transfer.name, 'data-testid': 'transfer-save' },
          icon('download', 'sm'), 'Save'));
      }
    };
    transfer.addEventListener('progress', render);
    transfer.addEventListener('done', () => {
      render();
      if (transfer.direction === 'receive') {
        toast(`${transfer.name} received from ${peerName()} — SHA-256 verified`, { kind: 'ok' });
      }
    });
    transfer.addEventListener('failed', () => {
      render();
      toast(`${transfer.name}: ${transfer.error?.message ?? 'transfer failed'}`, { kind: 'error' });
    });
    render();
    if (transfer.direction === 'receive' && !this.visible) {
      this.unread += 1;
      this.#onUnread(this.unread);
      toast(`${peerName()} is sending you ${transfer.name}`, { kind: 'info' });
    }
  }
}
