/**
 * Live statistics: one card per remote peer with the selected candidate pair, key numbers, and uPlot charts over time
 * of bitrate, packet loss, round-trip time and frame rate; the raw getStats reports download as JSON.
 */
import uPlot from 'uplot';
import { $, h, formatBitrate, formatMs, formatDuration, downloadJson } from './ui.js';
import { icon } from './icons.js';

const COLORS = { in: '#5b8cff', out: '#2fcf8e', third: '#f4b740' };

/** The charts of a card: which sample fields they plot. */
const CHARTS = [
  {
    key: 'bitrate', title: 'Bitrate (kb/s)',
    series: [
      { label: 'In', stroke: COLORS.in, value: (s) => s.bitrateIn / 1000 },
      { label: 'Out', stroke: COLORS.out, value: (s) => s.bitrateOut / 1000 },
    ],
  },
  {
    key: 'loss', title: 'Packet loss (%)',
    series: [
      { label: 'In', stroke: COLORS.in, value: (s) => s.packetLossPercent },
      { label: 'Out (reported)', stroke: COLORS.out, value: (s) => s.remotePacketLossPercent },
    ],
  },
  {
    key: 'rtt', title: 'Round-trip time (ms)',
    series: [{ label: 'RTT', stroke: COLORS.third, value: (s) => s.rtt }],
  },
  {
    key: 'fps', title: 'Frame rate (fps)',
    series: [
      { label: 'In', stroke: COLORS.in, value: (s) => s.fpsIn },
      { label: 'Out', stroke: COLORS.out, value: (s) => s.fpsOut },
    ],
  },
];

const AXIS = { stroke: '#6c7890', grid: { stroke: 'rgba(255,255,255,0.06)', width: 1 },
  ticks: { stroke: 'rgba(255,255,255,0.08)', width: 1 }, font: '11px system-ui', size: 34 };

export class StatsPanel {
  #cards = new Map();
  #call = null;
  #resizeObserver;

  constructor() {
    this.host = $('#stats-cards');
    this.empty = $('#stats-empty');
    this.visible = false;
    this.#resizeObserver = new ResizeObserver(() => this.#resize());
    this.#resizeObserver.observe(this.host);
  }

  attach(call) {
    this.#call = call;
    for (const card of this.#cards.values()) card.destroy();
    this.#cards.clear();
    this.host.querySelectorAll('.stats-card').forEach((el) => el.remove());
    this.empty.hidden = false;
  }

  setVisible(visible) {
    this.visible = visible;
    if (visible) {
      for (const card of this.#cards.values()) card.render(true);
    }
  }

  addPeer(peer) {
    if (this.#cards.has(peer.id)) return;
    const card = new StatsCard(peer, this.#call);
    this.#cards.set(peer.id, card);
    this.host.append(card.el);
    this.empty.hidden = true;
    if (this.visible) card.render(true);
  }

  removePeer(peer) {
    this.#cards.get(peer.id)?.destroy();
    this.#cards.delete(peer.id);
    this.empty.hidden = this.#cards.size > 0;
  }

  /** Called for every sample; charts redraw only while the panel is visible. */
  update(peer) {
    const card = this.#cards.get(peer.id);
    if (card && this.visible) card.render(false);
    else card?.renderNumbers();
  }

  /** What each chart holds, for tests and support: `[{peerId, chart, points, width, height, drawn}]`. */
  chartInfo() {
    return [...this.#cards.values()].flatMap((card) => card.chartInfo());
  }

  #resize() {
    if (!this.visible) return;
    for (const card of this.#cards.values()) card.resize();
  }
}

class StatsCard {
  #peer;
  #call;
  #plots = new Map();
  #values = new Map();

  constructor(peer, call) {
    this.#peer = peer;
    this.#call = call;
    const download = h('button', {
      type: 'button', class: 'btn small', 'data-testid': 'stats-download',
      'aria-label': `Download raw statistics for ${peer.name || 'this peer'} as JSON`,
      on: { click: () => this.#download() },
    }, icon('download', 'sm'), 'JSON');
    this.path = h('div', { class: 'path', 'data-testid': 'stats-path' }, 'Waiting for a connection…');
    this.kpis = h('dl', { class: 'kpis' });
    for (const [key, label] of [
      ['bitrateIn', 'Bitrate in'], ['bitrateOut', 'Bitrate out'], ['rtt', 'Round trip'],
      ['loss', 'Loss · lost'], ['jitter', 'Jitter'], ['fps', 'FPS in · out'],
      ['resolution', 'Resolution'], ['codec', 'Codecs'], ['bwe', 'Send budget'],
    ]) {
      const dd = h('dd', { 'data-testid': `kpi-${key}`, text: '—' });
      this.#values.set(key, dd);
      this.kpis.append(h('div', { class: 'kpi' }, h('dt', { text: label }), dd));
    }
    this.charts = h('div', { class: 'charts' });
    this.chartEls = new Map();
    for (const chart of CHARTS) {
      const plot = h('div', { class: 'plot', 'data-testid': `chart-${chart.key}` });
      this.chartEls.set(chart.key, plot);
      const legend = h('span', { class: 'chart-legend' }, ...chart.series.map((series) => h('span', {},
        h('i', { style: `background:${series.stroke}` }), series.label)));
      this.charts.append(h('figure', { class: 'chart', style: 'margin:0' },
        h('h4', {}, h('span', { text: chart.title }), legend), plot));
    }
    this.el = h('article', { class: 'stats-card', 'data-testid': 'stats-card', 'data-peer-id': peer.id },
      h('header', {}, h('h3', { text: peer.name || 'Guest' }), download),
      this.path, this.kpis, this.charts);
  }

  renderNumbers() {
    const s = this.#peer.stats.latest;
    if (!s) return;
    const set = (key, text) => { this.#values.get(key).textContent = text; };
    set('bitrateIn', formatBitrate(s.bitrateIn));
    set('bitrateOut', formatBitrate(s.bitrateOut));
    set('rtt', formatMs(s.rtt));
    set('loss', `${s.packetLossPercent.toFixed(1)} % · ${s.packetsLost}`);
    set('jitter', formatMs(s.jitter));
    const fps = (v) => (v === null ? '—' : Math.round(v));
    set('fps', `${fps(s.fpsIn)} · ${fps(s.fpsOut)}`);
    set('resolution', s.resolutionIn ? `${s.resolutionIn.width}×${s.resolutionIn.height}` : '—');
    const codecs = [s.codecIn.video ?? s.codecOut.video, s.codecIn.audio ?? s.codecOut.audio].filter(Boolean);
    set('codec', codecs.join(' ') || '—');
    set('bwe', formatBitrate(s.availableOutgoingBitrate));
    this.#values.get('bitrateIn').dataset.value = String(s.bitrateIn);
    this.#values.get('bitrateOut').dataset.value = String(s.bitrateOut);
    this.#values.get('rtt').dataset.value = String(s.rtt ?? '');
    this.#values.get('fps').dataset.value = String(s.fpsIn ?? '');
    this.#renderPath(s.candidatePair);
  }

  render(force) {
    this.renderNumbers();
    const history = this.#peer.stats.history;
    if (history.length === 0) return;
    const origin = history[0].timestamp;
    const xs = history.map((s) => (s.timestamp - origin) / 1000);
    for (const chart of CHARTS) {
      const data = [xs, ...chart.series.map((series) => history.map((s) => {
        const v = series.value(s);
        return v === null || v === undefined || Number.isNaN(v) ? null : v;
      }))];
      let plot = this.#plots.get(chart.key);
      const container = this.chartEls.get(chart.key);
      if (!plot) {
        const width = container.clientWidth;
        if (width === 0) continue;
        plot = new uPlot(this.#options(chart, width), data, container);
        this.#plots.set(chart.key, plot);
      } else {
        plot.setData(data);
        if (force) this.#fit(plot, container);
      }
    }
  }

  resize() {
    for (const [key, plot] of this.#plots) this.#fit(plot, this.chartEls.get(key));
  }

  chartInfo() {
    return CHARTS.map((chart) => {
      const plot = this.#plots.get(chart.key);
      const canvas = plot?.root.querySelector('canvas');
      return {
        peerId: this.#peer.id,
        chart: chart.key,
        points: plot ? plot.data[0].length : 0,
        width: canvas?.width ?? 0,
        height: canvas?.height ?? 0,
        drawn: Boolean(plot && plot.data[0].length > 1 && canvas && canvas.width > 0),
      };
    });
  }

  destroy() {
    for (const plot of this.#plots.values()) plot.destroy();
    this.#plots.clear();
    this.el.remove();
  }

  #fit(plot, container) {
    const width = container.clientWidth;
    if (width > 0 && Math.abs(width - plot.width) > 1) plot.setSize({ width, height: plot.height });
  }

  #options(chart, width) {
    return {
      width,
      height: 110,
      padding: [6, 6, 0, 0],
      cursor: { drag: { x: false, y: false }, points: { size: 5 } },
      legend: { show: false },
      scales: {
        x: { time: false },
        y: { range: (u, min, max) => [0, Math.max(max ?? 0, chart.key === 'loss' ? 1 : 5) * 1.1] },
      },
      axes: [
        { ...AXIS, values: (u, ticks) => ticks.map((t) => formatDuration(t * 1000)) },
        { ...AXIS, size: 42 },
      ],
      series: [
        { label: 'Time', value: (u, v) => (v === null || v === undefined ? '—' : formatDuration(v * 1000)) },
        ...chart.series.map((series) => ({
          label: series.label, stroke: series.stroke, width: 1.6, fill: `${series.stroke}1f`, spanGaps: true,
          points: { show: false },
          value: (u, v) => (v === null || v === undefined ? '—' : v.toFixed(v < 10 ? 1 : 0)),
        })),
      ],
    };
  }

  #renderPath(pair) {
    if (!pair) {
      this.path.textContent = 'Waiting for a connection…';
      this.path.dataset.localType = '';
      this.path.dataset.remoteType = '';
      return;
    }
    const describe = (c, local) => {
      const via = local && c.type === 'relay' && c.relayProtocol ? `/${c.relayProtocol}` : '';
      return h('span', { class: `cand ${c.type}`, title: `${c.address ?? '?'}:${c.port ?? '?'} (${c.protocol})` },
        `${c.type}${via} ${c.protocol ?? ''}`.trim());
    };
    this.path.replaceChildren(h('span', { text: 'You' }), describe(pair.local, true), h('span', { text: '⇄' }),
      describe(pair.remote, false), h('span', { text: this.#peer.name || 'Guest' }));
    this.path.dataset.localType = pair.local.type;
    this.path.dataset.remoteType = pair.remote.type;
    this.path.dataset.relayProtocol = pair.local.relayProtocol ?? '';
  }

  #download() {
    const peer = this.#peer;
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const who = (peer.name || peer.id).replace(/\W+/g, '_');
    downloadJson(`switchboard-stats-${this.#call?.room ?? 'room'}-${who}-${stamp}.json`, {
      exportedAt: new Date().toISOString(),
      room: this.#call?.room,
      self: { id: this.#call?.id, name: this.#call?.name },
      peer: { id: peer.id, name: peer.name, connectionState: peer.connectionState, iceRestarts: peer.iceRestarts },
      iceErrors: peer.iceErrors,
      ...peer.stats.toJSON(),
    });
  }
}
