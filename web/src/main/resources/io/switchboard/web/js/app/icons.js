/**
 * The icon set of the pages, drawn for Switchboard on a 24×24 grid (stroked, 2 px). `icon(name)` returns an inline
 * SVG element; `injectIconSprite()` adds a <symbol> sprite so static HTML can use <svg><use href="#i-name"/></svg>.
 */
const PATHS = {
  mic: '<rect x="9" y="2.5" width="6" height="11.5" rx="3"/><path d="M5 10.5v.5a7 7 0 0 0 14 0v-.5"/><path d="M12 18v3.5M8.5 21.5h7"/>',
  'mic-off': '<rect x="9" y="2.5" width="6" height="11.5" rx="3"/><path d="M5 10.5v.5a7 7 0 0 0 14 0v-.5"/><path d="M12 18v3.5M8.5 21.5h7"/><path d="M3 3l18 18"/>',
  camera: '<rect x="2.5" y="6" width="13.5" height="12" rx="2.5"/><path d="M16 10.3l5.5-3.3v10l-5.5-3.3z"/>',
  'camera-off': '<path d="M9.5 6H13.5a2.5 2.5 0 0 1 2.5 2.5v2l5.5-3.5v10l-3-1.8"/><path d="M16 16v-.5M5 6H5a2.5 2.5 0 0 0-2.5 2.5v7A2.5 2.5 0 0 0 5 18h8.5"/><path d="M3 3l18 18"/>',
  screen: '<rect x="2.5" y="3.5" width="19" height="13" rx="2"/><path d="M8 20.5h8M12 16.5v4"/><path d="M9 10l3-3 3 3M12 7v6"/>',
  hangup: '<path d="M2.5 14.5c5.2-5 13.8-5 19 0l-2.2 2.6-3.8-1.4.1-2.6c-2.4-.8-5-.8-7.2 0l.1 2.6-3.8 1.4z"/>',
  chat: '<path d="M20.5 11.5a8.5 8.5 0 0 1-12.3 7.6L3.5 20.5l1.4-4.5A8.5 8.5 0 1 1 20.5 11.5z"/>',
  file: '<path d="M14 2.5H7A2.5 2.5 0 0 0 4.5 5v14A2.5 2.5 0 0 0 7 21.5h10a2.5 2.5 0 0 0 2.5-2.5V8z"/><path d="M14 2.5V8h5.5"/>',
  stats: '<path d="M2.5 12h4l3-8 5 16 3-8h4"/>',
  settings: '<path d="M4 6.5h9M19 6.5h1M4 12h3M11 12h9M4 17.5h11M19 17.5h1"/><circle cx="16" cy="6.5" r="2.2"/><circle cx="9" cy="12" r="2.2"/><circle cx="17" cy="17.5" r="2.2"/>',
  link: '<path d="M10 14a4.2 4.2 0 0 0 6 0l3-3a4.2 4.2 0 0 0-6-6l-1 1"/><path d="M14 10a4.2 4.2 0 0 0-6 0l-3 3a4.2 4.2 0 0 0 6 6l1-1"/>',
  copy: '<rect x="9" y="9" width="12" height="12" rx="2.5"/><path d="M5 15H4.5A1.5 1.5 0 0 1 3 13.5v-9A1.5 1.5 0 0 1 4.5 3h9A1.5 1.5 0 0 1 15 4.5V5"/>',
  shuffle: '<path d="M3 7h3.5c5 0 6 10 11 10H21"/><path d="M3 17h3.5c2 0 3.2-1.6 4.2-3.5M13.3 10.5C14.3 8.6 15.5 7 17.5 7H21"/><path d="M18.5 4.5L21 7l-2.5 2.5M18.5 14.5L21 17l-2.5 2.5"/>',
  users: '<circle cx="9" cy="8" r="3.8"/><path d="M2.5 20.5v-.8A5.7 5.7 0 0 1 8.2 14h1.6a5.7 5.7 0 0 1 5.7 5.7v.8"/><path d="M15.5 4.3a3.8 3.8 0 0 1 0 7.4M21.5 20.5v-.8a5.7 5.7 0 0 0-3.8-5.4"/>',
  check: '<path d="M5 12.5l4.5 4.5L19 7.5"/>',
  'check-circle': '<circle cx="12" cy="12" r="9.5"/><path d="M7.8 12.3l2.8 2.8 5.6-5.6"/>',
  x: '<path d="M6 6l12 12M18 6L6 18"/>',
  'x-circle': '<circle cx="12" cy="12" r="9.5"/><path d="M9 9l6 6M15 9l-6 6"/>',
  alert: '<path d="M10.3 3.9L2.4 17.6A2 2 0 0 0 4.1 20.5h15.8a2 2 0 0 0 1.7-2.9L13.7 3.9a2 2 0 0 0-3.4 0z"/><path d="M12 9.5v4.5M12 17.2v.1"/>',
  'alert-circle': '<circle cx="12" cy="12" r="9.5"/><path d="M12 7.5v5.5M12 16.3v.1"/>',
  info: '<circle cx="12" cy="12" r="9.5"/><path d="M12 11v5.5M12 7.7v.1"/>',
  download: '<path d="M12 3.5v11M7.5 10l4.5 4.5 4.5-4.5"/><path d="M4 16.5v2A2.5 2.5 0 0 0 6.5 21h11a2.5 2.5 0 0 0 2.5-2.5v-2"/>',
  upload: '<path d="M12 14.5v-11M7.5 8L12 3.5 16.5 8"/><path d="M4 16.5v2A2.5 2.5 0 0 0 6.5 21h11a2.5 2.5 0 0 0 2.5-2.5v-2"/>',
  server: '<rect x="3" y="3.5" width="18" height="7" rx="2"/><rect x="3" y="13.5" width="18" height="7" rx="2"/><path d="M7 7h.01M7 17h.01"/>',
  gauge: '<path d="M3.5 18a9 9 0 1 1 17 0"/><path d="M12 14l4.5-5"/><circle cx="12" cy="14.5" r="1.3"/>',
  send: '<path d="M21 3L10.5 13.5"/><path d="M21 3l-6.5 18-4-7.5L3 9.5z"/>',
  'arrow-left': '<path d="M19.5 12h-15M10.5 6l-6 6 6 6"/>',
  'volume-off': '<path d="M11 5L6 9H2.5v6H6l5 4z"/><path d="M21.5 9l-6 6M15.5 9l6 6"/>',
  shield: '<path d="M12 2.5l8 3.5v6c0 4.8-3.4 8.3-8 9.5-4.6-1.2-8-4.7-8-9.5V6z"/>',
  refresh: '<path d="M20.5 12a8.5 8.5 0 0 1-15.2 5.2M3.5 12A8.5 8.5 0 0 1 18.7 6.8"/><path d="M19 2.5v4.5h-4.5M5 21.5V17h4.5"/>',
  logo: '<path d="M7 8.5C12 8.5 12 15.5 17 15.5M7 15.5C12 15.5 12 8.5 17 8.5"/><circle cx="7" cy="8.5" r="1.6"/><circle cx="7" cy="15.5" r="1.6"/><circle cx="17" cy="8.5" r="1.6"/><circle cx="17" cy="15.5" r="1.6"/>',
};

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An inline icon; decorative (aria-hidden) — the control that holds it carries the accessible name. */
export function icon(name, className = '') {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', `icon ${className}`.trim());
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.innerHTML = PATHS[name] ?? PATHS.info;
  svg.dataset.icon = name;
  return svg;
}

/** Replaces every `<i data-icon="name">` placeholder in `root` with its SVG icon (keeps its class). */
export function hydrateIcons(root = document) {
  for (const placeholder of root.querySelectorAll('i[data-icon]')) {
    placeholder.replaceWith(icon(placeholder.dataset.icon, placeholder.className));
  }
}

/** Changes the icon drawn by an svg created with {@link icon}. */
export function setIcon(svg, name) {
  if (!svg || svg.dataset.icon === name) return;
  svg.innerHTML = PATHS[name] ?? PATHS.info;
  svg.dataset.icon = name;
}
