/** Small DOM helpers shared by the pages: element builder, toasts, dialogs, formatting, clipboard. */
import { icon } from './icons.js';

/**
 * Builds an element. `attrs` keys: `class`, `text`, `dataset` (object), `on` (object of listeners), `aria-*`,
 * `data-*` and any other attribute; booleans toggle the attribute.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'on') for (const [type, fn] of Object.entries(value)) el.addEventListener(type, fn);
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

const TOAST_ICONS = { ok: 'check-circle', warn: 'alert', error: 'alert-circle', info: 'info' };

/** Shows a short message at the bottom of the screen. Kind: `info`, `ok`, `warn`, `error`. */
export function toast(message, { kind = 'info', timeout = 4000, testid } = {}) {
  const host = $('#toasts');
  if (!host) return null;
  const el = h('div', { class: `toast ${kind}`, 'data-testid': testid ?? 'toast', 'data-kind': kind },
    icon(TOAST_ICONS[kind] ?? 'info', 'sm'), h('span', { text: message }));
  host.append(el);
  while (host.children.length > 4) host.firstElementChild.remove();
  setTimeout(() => {
    el.classList.add('leaving');
    setTimeout(() => el.remove(), 300);
  }, timeout);
  return el;
}

/**
 * Opens the page's shared <dialog id="dialog"> with a title, text and buttons; resolves with the chosen value
 * (or null when dismissed with Escape).
 * @param {{title: string, body: string|Node, kind?: 'error'|'warn'|'info', testid?: string,
 *   actions: {label: string, value: string, primary?: boolean}[]}} options
 */
export function showDialog({
  title, body, kind = 'error', testid = 'dialog', actions = [{ label: 'OK', value: 'ok' }],
}) {
  const dialog = $('#dialog');
  dialog.replaceChildren();
  dialog.dataset.testid = testid;
  dialog.setAttribute('data-testid', testid);
  dialog.dataset.kind = kind;
  const titleId = 'dialog-title';
  dialog.setAttribute('aria-labelledby', titleId);
  const iconName = kind === 'info' ? 'info' : kind === 'warn' ? 'alert' : 'alert-circle';
  dialog.append(
    h('div', { class: 'dialog-body' },
      h('h2', { id: titleId }, h('span', { class: `dialog-icon ${kind}` }, icon(iconName)), title),
      typeof body === 'string' ? h('p', { text: body, 'data-testid': `${testid}-message` }) : body),
    h('div', { class: 'dialog-actions' }, actions.map((action) => h('button', {
      type: 'button', class: `btn ${action.primary ? 'primary' : ''}`, text: action.label,
      'data-testid': `${testid}-${action.value}`,
      on: { click: () => dialog.close(action.value) },
    }))),
  );
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue || null), { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    dialog.querySelector('.btn.primary, .btn')?.focus();
  });
}

/** Builds an inline alert block. */
export function alertBox({ kind = 'error', title, text, actions = [], testid }) {
  const iconName = { error: 'alert-circle', warn: 'alert', info: 'info', ok: 'check-circle' }[kind];
  return h('div', { class: `alert ${kind}`, role: kind === 'error' ? 'alert' : 'status', 'data-testid': testid },
    icon(iconName),
    h('div', {},
      title ? h('h3', { text: title }) : null,
      text ? h('p', { text }) : null,
      actions.length ? h('div', { class: 'actions' }, actions) : null));
}

export function formatBitrate(bps) {
  if (bps === null || bps === undefined || Number.isNaN(bps)) return '—';
  if (bps >= 1e6) return `${(bps / 1e6).toFixed(bps >= 1e7 ? 0 : 1)} Mb/s`;
  if (bps >= 1e3) return `${Math.round(bps / 1e3)} kb/s`;
  return `${Math.round(bps)} b/s`;
}

export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return '—';
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 || value >= 100 ? 0 : 1)} ${units[unit]}`;
}

export function formatMs(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

export function formatDuration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (n) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${minutes}:${two(seconds)}`;
}

export function formatTime(ts) {
  return new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** Up to two initials of a display name. */
export function initials(name) {
  const words = String(name || '?').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  return (words[0][0] + (words.length > 1 ? words[words.length - 1][0] : '')).toUpperCase();
}

/** A stable, pleasant color for a name. */
export function colorFor(text) {
  let hash = 0;
  for (const ch of String(text)) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return `hsl(${hash % 360} 55% 48%)`;
}

/** Copies text; falls back to selecting an input when the Clipboard API is unavailable. */
export async function copyText(text, fallbackInput) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (fallbackInput) {
      fallbackInput.focus();
      fallbackInput.select();
      return document.execCommand?.('copy') ?? false;
    }
    return false;
  }
}

/** Saves `data` as a JSON file download. */
export function downloadJson(filename, data) {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A random, readable room name such as `calm-river-42`. */
export function randomRoomName() {
  const adjectives = ['calm', 'bright', 'swift', 'quiet', 'bold', 'lucky', 'sunny', 'clever', 'brave', 'gentle',
    'amber', 'silver', 'cosmic', 'misty', 'golden', 'nimble'];
  const nouns = ['river', 'otter', 'falcon', 'harbor', 'meadow', 'comet', 'maple', 'summit', 'lagoon', 'canyon',
    'willow', 'beacon', 'orbit', 'pixel', 'island', 'forest'];
  const pick = (list) => list[crypto.getRandomValues(new Uint32Array(1))[0] % list.length];
  return `${pick(adjectives)}-${pick(nouns)}-${(crypto.getRandomValues(new Uint32Array(1))[0] % 90) + 10}`;
}
