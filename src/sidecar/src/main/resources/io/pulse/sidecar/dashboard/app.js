// Pulse dashboard: plain JavaScript, no framework. State arrives from /events (Server-Sent Events):
// a snapshot, then batches of changes. The node list is virtualized (only visible rows are in the
// DOM) and every repaint happens in one requestAnimationFrame, so 10,000 nodes and 1,000 changes a
// second stay smooth. Text from Kafka is only ever set with textContent.
'use strict';

const STATES = ['ALIVE', 'SUSPECT', 'DEAD', 'LEFT', 'PENDING'];
const RANK = { DEAD: 0, SUSPECT: 1, PENDING: 2, LEFT: 3, ALIVE: 4, UNKNOWN: 5 };
const COLORS = { ALIVE: '#2e9d4f', SUSPECT: '#e0a100', DEAD: '#d33a2c', LEFT: '#7b8794', PENDING: '#5b7bd5',
  UNKNOWN: '#999', FAILURE: '#7a0d05', REMOVED: '#444' };
// The colours as canvas pixels (RGBA bytes, read as one little-endian 32-bit word).
const PIXELS = Object.fromEntries(Object.entries(COLORS).map(([k, hex]) => {
  const v = parseInt(hex.slice(1), 16);
  return [k, (0xff000000 | ((v & 0xff) << 16) | (v & 0xff00) | ((v >> 16) & 0xff)) >>> 0];
}));
const ROW_HEIGHT = 24;
const MAX_EVENTS = 100;

const $ = (id) => document.getElementById(id);
const state = {
  nodes: new Map(), counts: {}, events: [], histogram: null, connection: null, seq: 0, now: Date.now(),
  filter: '', stateFilter: '', sort: 'state', group: '', labelKeys: new Set(), order: [], selected: null,
  dirtyOrder: true, windowBuckets: 60,
};
let frameRequested = false;
let firstRender = true;

// ---------- time and text ----------
const pad = (n, w = 2) => String(n).padStart(w, '0');
function clock(ms) {
  if (ms == null) return '–';
  const d = new Date(ms);
  return pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ':' + pad(d.getUTCSeconds()) + 'Z';
}
function ago(ms) {
  if (ms == null) return 'never';
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  return s < 60 ? s + ' s ago' : s < 3600 ? Math.round(s / 60) + ' min ago' : Math.round(s / 3600) + ' h ago';
}
function micros(us) { return us == null ? 'not measured' : (us / 1000).toFixed(2) + ' ms'; }
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}
function labelText(n) {
  return Object.entries(n.labels || {}).map(([k, v]) => k + '=' + v).join(' ');
}
// The search box: key=value keeps the nodes with that label; other text, those whose id or a label value contains it.
function matches(n, f) {
  if (!f) return true;
  const labels = n.labels || {};
  const eq = f.indexOf('=');
  if (eq > 0) {
    const key = f.slice(0, eq);
    const value = f.slice(eq + 1);
    return Object.entries(labels).some(([k, v]) => k.toLowerCase() === key && v.toLowerCase() === value);
  }
  return n.id.toLowerCase().includes(f) || Object.values(labels).some((v) => v.toLowerCase().includes(f));
}
// Label keys seen so far, offered by the "group by" select.
function learnLabels(nodes) {
  for (const n of nodes) {
    for (const k of Object.keys(n.labels || {})) {
      if (state.labelKeys.has(k)) continue;
      state.labelKeys.add(k);
      $('group').append(new Option('Group by ' + k, k));
    }
  }
}
function describe(e) {
  if (e.kind === 'failure') {
    return 'FAILURE ' + e.node + ' declared ' + e.to + ' by ' + (e.declaredBy || e.observer)
      + (e.confirmations ? ', ' + e.confirmations + ' confirmation(s)' : '');
  }
  if (e.kind === 'removed') return 'REMOVED ' + e.node;
  return e.node + ' ' + e.from + ' → ' + e.to + ' (' + e.reason + ')';
}

// ---------- applying what the server sends ----------
function applySnapshot(s) {
  state.nodes = new Map(s.nodes.map((n) => [n.id, n]));
  state.idsDirty = true;
  learnLabels(s.nodes);
  state.counts = s.counts;
  state.events = s.events.slice(-MAX_EVENTS);
  state.histogram = s.histogram;
  state.connection = s.connection;
  state.pulse = s.pulse;
  state.seq = s.seq;
  state.now = s.now;
  state.dirtyOrder = true;
  state.timelineReset = true;
  setupWindows();
  schedule();
}

function applyBatch(b) {
  learnLabels(b.nodes);
  for (const n of b.nodes) {
    if (!state.nodes.has(n.id)) state.idsDirty = true;
    state.nodes.set(n.id, n);
  }
  for (const id of b.removed) state.idsDirty = state.nodes.delete(id) || state.idsDirty;
  state.counts = b.counts;
  state.connection = b.connection;
  state.pulse = b.pulse;
  state.now = b.now;
  for (const e of b.events) {
    if (e.seq <= state.seq) continue; // already in the snapshot
    state.events.push(e);
    count(e);
  }
  if (state.events.length > MAX_EVENTS) state.events.splice(0, state.events.length - MAX_EVENTS);
  state.seq = Math.max(state.seq, b.seq);
  if (b.nodes.length || b.removed.length) state.dirtyOrder = true;
  if (state.selected && b.events.some((e) => e.node === state.selected)) loadNode(state.selected);
  schedule();
}

function count(e) {
  const h = state.histogram;
  if (!h) return;
  const end = () => h.start + h.buckets * h.bucketMillis;
  while (e.at >= end()) { // the window moves on: drop the oldest bar
    h.start += h.bucketMillis;
    for (const k of Object.keys(h.kinds)) { h.kinds[k].shift(); h.kinds[k].push(0); }
  }
  const i = Math.floor((e.at - h.start) / h.bucketMillis);
  if (i < 0) return;
  const kind = e.kind === 'failure' ? 'FAILURE' : e.kind === 'removed' ? 'REMOVED' : e.to;
  if (!h.kinds[kind]) h.kinds[kind] = new Array(h.buckets).fill(0);
  h.kinds[kind][i]++;
}

function connect() {
  const source = new EventSource('events');
  source.onopen = () => { state.streamLost = false; schedule(); };
  source.onerror = () => {
    state.streamLost = true;
    schedule();
    // An EventSource cannot tell a 401 from a server away: ask once; a session that ended goes to the login form.
    fetch('api/snapshot', { method: 'HEAD', cache: 'no-store' })
      .then((r) => { if (r.status === 401) window.location.assign('login'); })
      .catch(() => {});
  };
  source.onmessage = (message) => {
    const started = performance.now();
    let data;
    try { data = JSON.parse(message.data); } catch (err) { console.warn('not JSON from /events', err); return; }
    if (data.type === 'snapshot') applySnapshot(data);
    else if (data.type === 'batch') applyBatch(data);
    else if (data.type === 'resync') fetch('api/snapshot').then((r) => r.json()).then(applySnapshot);
    work(window.pulseMessageMs, started);
  };
}

// ---------- rendering, once per frame ----------
function schedule() {
  if (!frameRequested) { frameRequested = true; requestAnimationFrame(render); }
}

function render() {
  const started = performance.now();
  frameRequested = false;
  // every size is read first, in one layout, before anything is written (no layout forced per part)
  const box = $('nodes');
  const geometry = { scrollTop: box.scrollTop, listHeight: box.clientHeight, mapWidth: $('map').clientWidth,
    histogramWidth: $('histogram').clientWidth };
  const reordered = state.dirtyOrder;
  if (reordered) { computeOrder(); state.dirtyOrder = false; }
  renderConnection();
  renderCounts();
  renderRows(geometry);
  if (reordered || $('map').width !== geometry.mapWidth) renderMap(geometry);
  renderTimeline(geometry);
  if (firstRender && state.histogram) {
    firstRender = false;
    performance.mark('pulse-first-render');
  }
  work(window.pulseRenderMs, started);
}

// The page's own work, for the benchmark: milliseconds per render and per message applied, bounded.
window.pulseRenderMs = [];
window.pulseMessageMs = [];
function work(list, started) {
  list.push(performance.now() - started);
  if (list.length > 20000) list.shift();
}

// The ids sorted once, again only when a node comes or goes; each order is a pass over them
// (by state: one bucket per state, no comparisons), or a stable sort by time (ties stay by id).
function computeOrder() {
  if (state.idsDirty !== false) { state.byId = [...state.nodes.keys()].sort(); state.idsDirty = false; }
  const f = state.filter.toLowerCase();
  const only = state.stateFilter;
  const match = [];
  for (const id of state.byId) {
    const n = state.nodes.get(id);
    if (matches(n, f) && (!only || n.state === only)) match.push(n);
  }
  if (state.sort === 'state') {
    const buckets = [[], [], [], [], [], [], []];
    for (const n of match) buckets[RANK[n.state] ?? 6].push(n.id);
    state.order = [].concat(...buckets);
  } else if (state.sort === 'change') {
    state.order = match.sort((a, b) => b.since - a.since).map((n) => n.id);
  } else {
    state.order = match.map((n) => n.id);
  }
  const g = state.group;
  if (g) { // one block per value of the label, in value order, those without it last; each block in the order above
    const value = (id) => {
      const labels = state.nodes.get(id).labels || {};
      return Object.prototype.hasOwnProperty.call(labels, g) ? labels[g] : null;
    };
    state.order = state.order
      .map((id, i) => [value(id), i, id])
      .sort((a, b) => (a[0] == null) - (b[0] == null) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]))
      .map((x) => x[2]);
  }
}

function renderConnection() {
  const c = state.connection;
  if (!c) return;
  const pill = $('conn-kafka');
  pill.textContent = 'Kafka: ' + c.kafka;
  pill.className = 'pill ' + c.kafka;
  $('conn-lag').textContent = 'lag ' + (c.lag == null ? '–' : c.lag);
  $('conn-last').textContent = 'last event ' + (c.lastRecordAt == null ? 'none yet' : clock(c.lastEventAt) + ' (read ' + ago(c.lastRecordAt) + ')');
  const bad = $('conn-undecodable');
  bad.classList.toggle('hidden', !c.undecodable);
  bad.textContent = c.undecodable + ' undecodable record(s)';
  bad.title = c.undecodableSample || '';
  $('conn-history').textContent = c.historyEvents + ' event(s) kept (max ' + c.historyMaxEvents + ')';
  const pulse = state.pulse || { state: 'none', observers: [] };
  const beat = $('conn-pulse');
  beat.textContent = pulse.state === 'none' ? 'Pulse: no heartbeat' : 'Pulse: ' + pulse.state;
  beat.className = 'pill ' + (pulse.state === 'live' ? 'up' : pulse.state === 'silent' ? 'down' : '');
  beat.title = pulse.observers.map((o) => o.observer + (o.silent ? ' SILENT' : '') + ': last heartbeat '
    + Math.round(o.ageMillis / 1000) + ' s ago, watching ' + o.watchedNodes
    + (o.configurationEpoch == null ? '' : ' (epoch ' + o.configurationEpoch + ')')
    + (o.version ? ', ' + o.version : '')).join('\n') || 'no heartbeat read from <prefix>.heartbeats';
  const banner = $('banner');
  if (state.streamLost) {
    banner.textContent = 'Lost the dashboard server; reconnecting. Showing the last known state.';
    banner.className = 'banner stream';
  } else if (c.kafka !== 'down' && pulse.state === 'silent') {
    banner.textContent = 'Pulse silent: no heartbeat from any observer for '
      + Math.round(Math.min(...pulse.observers.map((o) => o.ageMillis)) / 1000)
      + ' s. Nobody is watching the nodes; a quiet failures topic means nothing now.';
    banner.className = 'banner';
  } else if (c.kafka === 'down') {
    banner.textContent = 'Kafka unreachable since ' + clock(c.since) + ' (' + (c.error || 'no answer')
      + '). Showing the last known state; this page recovers by itself.';
    banner.className = 'banner';
  } else {
    banner.className = 'banner hidden';
  }
}

function renderCounts() {
  const box = $('counts');
  if (!box.childElementCount) {
    for (const s of STATES) {
      const chip = el('span', 'count ' + s);
      chip.id = 'count-' + s;
      chip.dataset.state = s;
      chip.append(el('span', 'n', '0'), el('span', null, s));
      chip.onclick = () => { $('state-filter').value = state.stateFilter === s ? '' : s; onControls(); };
      box.append(chip);
    }
  }
  for (const s of STATES) {
    const chip = $('count-' + s);
    chip.firstChild.textContent = String(state.counts[s] || 0);
    chip.classList.toggle('selected', state.stateFilter === s);
  }
  $('shown').textContent = state.order.length + ' of ' + state.nodes.size + ' node(s)';
}

const pool = [];
function renderRows(geometry) {
  const box = $('nodes');
  $('nodes-spacer').style.height = state.order.length * ROW_HEIGHT + 'px';
  const first = Math.floor(geometry.scrollTop / ROW_HEIGHT);
  const visible = Math.min(state.order.length - first, Math.ceil(geometry.listHeight / ROW_HEIGHT) + 2);
  while (pool.length < visible) {
    const row = el('div', 'row');
    row.append(el('span', 'state'), el('span', 'id'), el('span', 'labels'), el('span', 'since'), el('span', 'reason'),
      el('span', 'observer'));
    row.onclick = () => select(row.dataset.id);
    box.append(row);
    pool.push(row);
  }
  for (let i = 0; i < pool.length; i++) {
    const row = pool[i];
    if (i >= visible) { row.style.display = 'none'; row.dataset.id = ''; continue; }
    const n = state.nodes.get(state.order[first + i]);
    row.style.display = '';
    row.style.transform = 'translateY(' + (first + i) * ROW_HEIGHT + 'px)';
    row.dataset.id = n.id;
    row.dataset.state = n.state;
    row.classList.toggle('selected', n.id === state.selected);
    const [st, id, labels, since, reason, observer] = row.children;
    st.textContent = n.state; st.className = 'state ' + n.state;
    id.textContent = n.id;
    labels.textContent = labelText(n); labels.title = labels.textContent;
    since.textContent = clock(n.since); since.title = new Date(n.since).toISOString();
    reason.textContent = n.reason;
    observer.textContent = n.declaredBy ? 'declared by ' + n.declaredBy : n.observer;
  }
}

function renderMap(geometry) {
  const canvas = $('map');
  if (canvas.width !== geometry.mapWidth) canvas.width = geometry.mapWidth;
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const n = state.order.length;
  if (!n) return;
  const size = Math.max(2, Math.min(14, Math.floor(Math.sqrt((canvas.width * canvas.height) / n))));
  const cols = Math.max(1, Math.floor(canvas.width / size));
  state.map = { size, cols };
  const gap = size > 4 ? 1 : 0;
  // pixels written straight into one image: 10,000 tiles cost about a millisecond, not 10,000 draw calls
  const w = canvas.width;
  const image = ctx.createImageData(w, canvas.height);
  const pixels = new Uint32Array(image.data.buffer);
  for (let i = 0; i < n; i++) {
    const y0 = Math.floor(i / cols) * size;
    if (y0 + size > canvas.height) break;
    const x0 = (i % cols) * size;
    const color = PIXELS[state.nodes.get(state.order[i]).state] || PIXELS.UNKNOWN;
    for (let dy = 0; dy < size - gap; dy++) pixels.fill(color, (y0 + dy) * w + x0, (y0 + dy) * w + x0 + size - gap);
  }
  ctx.putImageData(image, 0, 0);
}

function renderTimeline(geometry) {
  const h = state.histogram;
  const canvas = $('histogram');
  if (canvas.width !== geometry.histogramWidth) canvas.width = geometry.histogramWidth;
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (h) {
    const shown = Math.min(h.buckets, state.windowBuckets);
    const from = h.buckets - shown;
    let max = 1;
    const kinds = Object.keys(h.kinds);
    for (let i = from; i < h.buckets; i++) {
      let sum = 0;
      for (const k of kinds) sum += h.kinds[k][i];
      max = Math.max(max, sum);
    }
    const w = canvas.width / shown;
    const scale = (canvas.height - 12) / max;
    for (let i = from; i < h.buckets; i++) {
      let y = canvas.height;
      for (const k of kinds) {
        const v = h.kinds[k][i];
        if (!v) continue;
        ctx.fillStyle = COLORS[k] || COLORS.UNKNOWN;
        const height = Math.max(1, v * scale);
        y -= height;
        ctx.fillRect((i - from) * w + 1, y, Math.max(1, w - 2), height);
      }
    }
    ctx.fillStyle = '#66707c';
    ctx.font = '10px system-ui';
    ctx.fillText('max ' + max + ' per ' + Math.round(h.bucketMillis / 1000) + ' s', 2, 10);
  }
  const list = $('timeline');
  if (state.timelineReset) { // a snapshot: the whole list again
    state.timelineReset = false;
    state.timelineSeq = 0;
    list.replaceChildren();
  }
  const news = state.events.filter((e) => e.seq > (state.timelineSeq || 0));
  if (!news.length) return;
  state.timelineSeq = news[news.length - 1].seq;
  list.prepend(...news.slice(-MAX_EVENTS).reverse().map(eventItem)); // newest first
  while (list.childElementCount > MAX_EVENTS) list.lastElementChild.remove();
}

function eventItem(e) {
  const li = el('li', e.kind);
  li.dataset.node = e.node;
  li.append(el('time', null, clock(e.at)), el('span', 'badge ' + (e.to || 'REMOVED'), e.to || 'REMOVED'),
    document.createTextNode(' ' + describe(e)));
  li.onclick = () => select(e.node);
  return li;
}

// ---------- a node's history and the evidence of its verdict ----------
function select(id) {
  if (!id) return;
  state.selected = id;
  $('detail').classList.remove('hidden');
  $('detail-id').textContent = id;
  loadNode(id);
  schedule();
}

function loadNode(id) {
  fetch('api/node?id=' + encodeURIComponent(id)).then((r) => r.json()).then((d) => {
    if (d.id !== state.selected) return;
    const badge = $('detail-state');
    badge.textContent = d.node ? d.node.state : 'removed';
    badge.className = 'badge ' + (d.node ? d.node.state : 'REMOVED');
    $('detail-since').textContent = d.node ? 'since ' + new Date(d.node.since).toISOString() + ' (' + d.node.reason + ')' : '';
    const dl = $('evidence');
    dl.replaceChildren();
    const f = d.failure;
    if (!f) {
      dl.append(el('dt', null, 'Verdict'), el('dd', null, 'no FailureMessage for this node in the window'));
    } else {
      const rows = [
        ['detectedAt', 'Declared ' + f.to + ' at', new Date(f.at).toISOString()],
        ['declaredBy', 'Declared by', f.declaredBy || f.observer + ' (static mode: the observer)'],
        ['confirmations', 'Confirmations', String(f.confirmations)],
        ['observer', 'Published by', f.observer],
        ['retries', 'Retries', String(f.retries)],
        ['indirectPeers', 'Indirect probes', f.indirectPeers.length ? f.indirectPeers.length + ': ' + f.indirectPeers.join(', ') : 'none'],
        ['lastContact', 'Last contact', f.lastContact == null ? 'never' : new Date(f.lastContact).toISOString()],
        ['srtt', 'RTT (smoothed)', micros(f.srttMicros)],
        ['clockOffset', 'Clock offset', micros(f.clockOffsetMicros)],
        ['probes', 'Probes lost', f.lostProbes + ' of ' + f.totalProbes],
        ['incarnation', 'Incarnation', String(f.incarnation)],
      ];
      for (const [field, label, value] of rows) {
        const dd = el('dd', null, value);
        dd.dataset.field = field;
        dl.append(el('dt', null, label), dd);
      }
    }
    $('detail-history').replaceChildren(...d.events.slice().reverse().map(eventItem));
  }).catch((err) => console.warn('node history', err));
}

// ---------- controls ----------
function onControls() {
  state.filter = $('filter').value.trim();
  state.stateFilter = $('state-filter').value;
  state.sort = $('sort').value;
  state.group = $('group').value;
  state.dirtyOrder = true;
  schedule();
}

function setupWindows() {
  const select = $('window');
  const h = state.histogram;
  if (!h || select.childElementCount) return;
  const windowMs = h.buckets * h.bucketMillis;
  for (const minutes of [5, 15, 30, 60, 180, 360, 1440]) {
    const buckets = Math.round((minutes * 60000) / h.bucketMillis);
    if (buckets >= 1 && buckets < h.buckets) select.append(new Option('last ' + minutes + ' min', String(buckets)));
  }
  select.append(new Option('last ' + Math.round(windowMs / 60000) + ' min', String(h.buckets), true, true));
  state.windowBuckets = h.buckets;
  select.onchange = () => { state.windowBuckets = Number(select.value); schedule(); };
}

// Frame times for the benchmark (DashboardBenchmark): the gaps between animation frames, bounded.
window.pulseFrames = [];
(function frames(last) {
  requestAnimationFrame((t) => {
    if (last) { window.pulseFrames.push(t - last); if (window.pulseFrames.length > 20000) window.pulseFrames.shift(); }
    frames(t);
  });
})(0);

document.addEventListener('DOMContentLoaded', () => {
  $('filter').addEventListener('input', onControls);
  $('state-filter').addEventListener('change', onControls);
  $('sort').addEventListener('change', onControls);
  $('group').addEventListener('change', onControls);
  $('nodes').addEventListener('scroll', schedule, { passive: true });
  window.addEventListener('resize', schedule);
  $('map').addEventListener('click', (ev) => {
    if (!state.map) return;
    const r = ev.target.getBoundingClientRect();
    const i = Math.floor((ev.clientY - r.top) / state.map.size) * state.map.cols + Math.floor((ev.clientX - r.left) / state.map.size);
    if (i >= 0 && i < state.order.length) select(state.order[i]);
  });
  setInterval(schedule, 1000); // "n s ago" moves on
  connect();
});
