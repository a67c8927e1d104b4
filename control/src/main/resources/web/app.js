// Stream Repeater dashboard: plain JavaScript, no build step, no framework.
// Everything shown comes from the HTTP API under /api/v1 with the admin token as a bearer header;
// server data is only ever put into the page as text (textContent), never as HTML.
'use strict';

const TOKEN_KEY = 'streamRepeater.adminToken';
const POLL_MS = 2000;
const THUMBNAIL_MS = 5000;
const CHART_WINDOW_MS = 10 * 60 * 1000;
const CHART_MIN_SPAN_MS = 60 * 1000;
const MAX_TIMELINE = 300;
const COLOURS = ['#2fbf71', '#3d8bfd', '#f0a830', '#c678dd', '#e5484d', '#56b6c2', '#d19a66'];
const PRESETS = {
  youtube: 'rtmp://a.rtmp.youtube.com/live2/',
  twitch: 'rtmp://live.twitch.tv/app/',
  facebook: 'rtmps://live-api-s.facebook.com:443/rtmp/',
  // Kick's ingest as its creator dashboard shows it; check the server URL there if it changes.
  kick: 'rtmps://fa723fc1b171.global-contribute.live-video.net:443/app/',
  custom: '',
};
const INPUT_LOOK = { ACTIVE: ['LIVE', 'live'], STANDBY: ['STANDBY', 'standby'], DOWN: ['DOWN', 'down'] };
const DESTINATION_LOOK = {
  LIVE: 'live', IDLE: 'warn', CONNECTING: 'warn', RETRYING: 'warn', FAILED: 'down', DISABLED: '',
};

const $ = (id) => document.getElementById(id);

const state = {
  token: sessionStorage.getItem(TOKEN_KEY),
  route: { view: 'channels', channel: null },
  channel: null,              // last status of the channel page's channel
  history: new Map(),         // "channel/in|out/name" -> [[epochMs, bps], ...]
  events: [],                 // ChannelEvent objects, oldest first
  eventKeys: new Set(),
  pollTimer: null,
  refreshTimer: null,
  events_abort: null,
  rehearsal: null,            // {channel, location}
  thumbnails: new Map(),      // "channel/input" -> blob: URL of its latest picture
  thumbnailTimer: null,
  thumbnailsBusy: false,
  cluster: null,              // last GET /cluster answer; null on a server that runs alone
  clusterError: null,         // why the last cluster poll failed (the store does not answer), else null
};

// ---------- small DOM builder ----------

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    // through the CSSOM: the page's Content-Security-Policy refuses style attributes in markup
    else if (k === 'style') Object.entries(v).forEach(([p, value]) => node.style.setProperty(p, value));
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function stat(label, value, name) {
  return el('div', {}, el('dt', { text: label }), el('dd', { text: value, dataset: { stat: name } }));
}

// ---------- formatting ----------

function kbps(bps) {
  if (bps === undefined || bps === null || bps < 0) return '—';
  return bps >= 10_000_000 ? (bps / 1e6).toFixed(1) + ' Mb/s' : Math.round(bps / 1000) + ' kb/s';
}

function duration(ms) {
  if (!ms || ms <= 0) return '—';
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

function age(ms) {
  if (ms === undefined || ms < 0) return '—';
  return ms < 10_000 ? ms + ' ms' : duration(ms);
}

function clock(epochMs) {
  return new Date(epochMs).toLocaleTimeString([], { hour12: false });
}

// ---------- API ----------

class Unauthorized extends Error {}

async function api(method, path, body) {
  const headers = { Authorization: 'Bearer ' + state.token, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch('/api/v1' + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
  });
  if (response.status === 401) throw new Unauthorized('the server refused the admin token');
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch (e) {
    if (response.ok) throw e; // an error page that is not JSON: the status says enough
  }
  if (!response.ok) {
    const error = new Error(data && data.error ? data.error : `${method} ${path}: HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return { data, response };
}

// While the server cannot be reached, nothing on the page is known to be true any more: every tile, dot and
// figure is greyed out as stale, and the banner says how old the last update is.
function showConnection(ok) {
  if (ok) state.lastUpdateAt = Date.now();
  $('connection').hidden = ok;
  document.body.classList.toggle('stale', !ok);
  for (const node of document.querySelectorAll('.tile, .dot, [data-stat], #channel-rows tr, #cluster-card tbody tr')) {
    node.classList.toggle('stale', !ok);
  }
  if (!ok) {
    const age = state.lastUpdateAt ? Math.round((Date.now() - state.lastUpdateAt) / 1000) : null;
    $('connection').textContent = age === null
      ? 'Server unreachable: retrying…'
      : `Server unreachable: states and figures below are from ${age} s ago and may no longer be true; retrying…`;
  }
}

// Browsers give pages the clipboard only in a secure context (HTTPS or localhost): on a plain-HTTP page opened
// from another machine the text is selected instead, for Ctrl+C. Either way the operator is told what happened.
async function copyText(id) {
  const text = $(id).textContent;
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      toast('Copied');
      return;
    } catch (e) {
      // fall through to the selection
    }
  }
  const range = document.createRange();
  range.selectNodeContents($(id));
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  toast('Selected: press Ctrl+C (⌘C) to copy. The clipboard needs HTTPS or localhost.');
}

function toast(message, isError) {
  const t = $('toast');
  t.textContent = message;
  t.className = 'toast' + (isError ? ' error' : '');
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, isError ? 8000 : 4000);
}

async function act(what, fn) {
  try {
    await fn();
  } catch (e) {
    if (e instanceof Unauthorized) return signOut(e.message);
    toast(`${what} failed: ${e.message}`, true);
  }
  refreshSoon();
}

// ---------- sign-in ----------

async function signIn(event) {
  event.preventDefault();
  state.token = $('token').value.trim();
  try {
    await api('GET', '/channels');
  } catch (e) {
    state.token = null;
    $('sign-in-error').textContent = e instanceof Unauthorized ? 'That token was refused.' : 'Sign-in failed: ' + e.message;
    $('sign-in-error').hidden = false;
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, state.token);
  $('token').value = '';
  $('sign-in-error').hidden = true;
  start();
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = null;
  state.role = null;
  stopPreview();
  $('who').hidden = true;
  $('api-link').hidden = true;
  $('access-link').hidden = true;
  clearTimeout(state.pollTimer);
  clearTimeout(state.thumbnailTimer);
  forgetThumbnails();
  if (state.events_abort) state.events_abort.abort();
  state.cluster = null;
  state.clusterError = null;
  $('cluster-card').hidden = true;
  showOnly('sign-in-view');
  $('sign-out').hidden = true;
  showConnection(true);
  if (message) {
    $('sign-in-error').textContent = message;
    $('sign-in-error').hidden = false;
  }
}

function showOnly(id) {
  for (const v of ['sign-in-view', 'channels-view', 'channel-view', 'api-view', 'access-view']) $(v).hidden = v !== id;
}

// ---------- routing ----------

function readRoute() {
  if (location.hash === '#/api') return { view: 'api', channel: null };
  if (location.hash === '#/access') return { view: 'access', channel: null };
  const m = location.hash.match(/^#\/channels\/([a-z0-9-]+)$/);
  return m ? { view: 'channel', channel: m[1] } : { view: 'channels', channel: null };
}

function onRoute() {
  if (!state.token) return;
  const previous = state.route.channel;
  state.route = readRoute();
  if (state.route.channel !== previous) {
    stopPreview();
    state.channel = null;
    state.rehearsal = null;
    $('rehearsal-panel').hidden = true;
    $('inputs').replaceChildren();
    $('destinations').replaceChildren();
    forgetThumbnails();
    clearTimeout(state.thumbnailTimer);
    state.thumbnailTimer = setTimeout(refreshThumbnails, 300);
  }
  if (state.route.view === 'api') {
    showOnly('api-view');
    renderApiReference();
    return;
  }
  if (state.route.view === 'access') {
    showOnly('access-view');
    renderAccess();
    return;
  }
  showOnly(state.route.view === 'channel' ? 'channel-view' : 'channels-view');
  renderTimeline();
  refreshSoon();
}

// ---------- live preview (HTTP-FLV from the server, played by the vendored mpegts.js) ----------

function stopPreview() {
  clearTimeout(state.previewRestart);
  state.previewRestart = null;
  if (state.preview) {
    state.preview.destroy();
    state.preview = null;
  }
  $('preview-video').hidden = true;
  $('preview-toggle').textContent = 'Watch';
}

function togglePreview() {
  if (state.preview || state.previewRestart) return stopPreview();
  startPreview(null);
}

// A player that fails is started again at once (a new feed opens on the channel's last keyframe), as any live
// player would; after PREVIEW_RESTARTS failures within a minute it stays stopped and says why.
const PREVIEW_RESTARTS = 5;

// input null: the channel's output (what the destinations get); else that input on its own
function startPreview(input, failures = []) {
  stopPreview();
  const channel = state.route.channel;
  if (!channel) return;
  $('preview-title').textContent = input ? `Live preview of input ${input}` : 'Live preview of the output';
  if (!window.mpegts || !mpegts.isSupported()) {
    $('preview-note').textContent = 'This browser cannot play the preview (no Media Source Extensions).';
    return;
  }
  const player = mpegts.createPlayer(
    {
      type: 'flv',
      isLive: true,
      // the server ends the feed where the picture's format changes (a failover to an encoder with another size):
      // the browser's decoder cannot take a new configuration mid-stream, so the page opens the feed again
      url: (input ? `/api/v1/channels/${channel}/inputs/${input}/preview.flv` : `/api/v1/channels/${channel}/preview.flv`)
        + '?endOnFormatChange=true',
    },
    {
      headers: { Authorization: 'Bearer ' + state.token },
      enableWorker: false,
      enableStashBuffer: false, // hand each chunk to the player as it arrives: the stash holds seconds at preview bitrates
      liveBufferLatencyChasing: true, // stay near the live edge: the operator watches what goes out now
      liveBufferLatencyMaxLatency: 1.5,
      liveBufferLatencyMinRemain: 0.3,
    });
  player.on(mpegts.Events.ERROR, (type, detail, info) => {
    const media = $('preview-video').error;
    const why = `${type}: ${detail}${info && info.msg ? ': ' + info.msg : ''}${media ? ' / ' + media.message : ''}`;
    const now = Date.now();
    const recent = failures.filter(t => now - t < 60000).concat([now]);
    stopPreview();
    const video = $('preview-video');
    video.dataset.restarts = String(Number(video.dataset.restarts || 0) + 1);
    if (recent.length > PREVIEW_RESTARTS) {
      $('preview-note').textContent = `The preview stopped (${why}). Press Watch to start it again.`;
      return;
    }
    $('preview-note').textContent = `The player stopped (${why}) and was started again.`;
    state.previewRestart = setTimeout(() => startPreview(input, recent), 200);
  });
  player.on(mpegts.Events.LOADING_COMPLETE, () => {
    // the feed ended: a new picture format (see above), or the watched input's encoder left
    const video = $('preview-video');
    video.dataset.reopened = String(Number(video.dataset.reopened || 0) + 1);
    startPreview(input, failures);
  });
  player.attachMediaElement($('preview-video'));
  player.load();
  player.play();
  state.preview = player;
  $('preview-video').hidden = false;
  $('preview-toggle').textContent = 'Stop';
}

// ---------- the API reference (from the server's openapi.json) ----------

async function renderApiReference() {
  const { data } = await api('GET', '/openapi.json');
  const rows = [];
  for (const [path, operations] of Object.entries(data.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      rows.push(el('tr', { dataset: { operation: `${method.toUpperCase()} ${path}` } },
        el('td', {}, el('span', { class: 'badge', text: method.toUpperCase() })),
        el('td', {}, el('code', { text: path })),
        el('td', { text: op.summary || '' })));
    }
  }
  $('api-operations').replaceChildren(...rows);
}

// ---------- access: API tokens and the audit (admins) ----------

async function renderAccess() {
  if (!may('admin')) {
    $('token-rows').replaceChildren(el('tr', {}, el('td', { colspan: 4, text: 'Only an admin token sees the tokens.' })));
    return;
  }
  try {
    const [{ data: tokens }, { data: audit }] = await Promise.all([api('GET', '/tokens'), api('GET', '/audit?limit=100')]);
    $('token-rows').replaceChildren(...tokens.map((t) => el('tr', { dataset: { token: t.name } },
      el('td', { text: t.name }),
      el('td', {}, el('span', { class: 'badge', text: t.role })),
      el('td', { text: new Date(t.createdAt).toLocaleString() }),
      el('td', {}, el('button', {
        type: 'button', class: 'small danger', dataset: { action: 'revoke-token' }, text: 'Revoke',
        onclick: () => confirmThen(`Revoke token ${t.name}? Whoever holds it is refused from the next request on.`,
          () => act('Revoking the token', async () => {
            await api('DELETE', '/tokens/' + encodeURIComponent(t.name));
            toast(`Token ${t.name} revoked`);
            renderAccess();
          })),
      })))));
    if (!tokens.length) {
      $('token-rows').replaceChildren(el('tr', {}, el('td', { colspan: 4, text: 'No tokens yet: only the admin token.' })));
    }
    $('audit-rows').replaceChildren(...audit.slice().reverse().map((a) => el('tr', { class: a.status >= 400 ? 'refused' : '' },
      el('td', { text: new Date(a.at).toLocaleString() }),
      el('td', { text: a.token }),
      el('td', { text: a.role }),
      el('td', {}, el('code', { text: `${a.method} ${a.path}` })),
      el('td', { text: String(a.status) }),
      el('td', { text: a.remote }))));
  } catch (e) {
    if (e instanceof Unauthorized) return signOut(e.message);
    toast(`Reading the tokens failed: ${e.message}`, true);
  }
}

async function createToken(event) {
  event.preventDefault();
  const name = $('token-name').value.trim();
  const role = $('token-role').value;
  await act('Creating the token', async () => {
    const { data } = await api('POST', '/tokens', { name, role });
    $('token-new-name').textContent = `${data.name} (${data.role})`;
    $('token-value').textContent = data.token;
    $('token-dialog').showModal();
    $('token-name').value = '';
    renderAccess();
  });
}

// ---------- polling (state, charts) ----------

// What each role may do (the server's ApiPermissions decides; the page only leaves out what would be refused).
const ROLE_RANK = { viewer: 0, operator: 1, admin: 2 };
function may(role) {
  return (ROLE_RANK[state.role] ?? -1) >= ROLE_RANK[role];
}

async function start() {
  $('sign-out').hidden = false;
  try {
    const { data } = await api('GET', '/whoami');
    state.role = data.role;
    $('who').textContent = `${data.name} (${data.role})`;
  } catch (e) {
    state.role = 'viewer'; // show the least until the server says more
    $('who').textContent = '';
  }
  $('who').hidden = false;
  $('api-link').hidden = false;
  $('access-link').hidden = !may('admin');
  $('rehearse').hidden = !may('operator');
  $('add-destination').hidden = !may('admin');
  onRoute();
  subscribeToEvents();
  refreshThumbnails();
}

function refreshSoon() {
  clearTimeout(state.refreshTimer);
  state.refreshTimer = setTimeout(poll, 50);
}

async function poll() {
  clearTimeout(state.pollTimer);
  if (!state.token) return;
  try {
    // the cluster first known, so that a channel's owner can be named "this node" in the same refresh
    if (state.route.view === 'channel') {
      const [{ data }] = await Promise.all([api('GET', '/channels/' + state.route.channel), pollCluster()]);
      record(data);
      state.channel = data;
      renderChannel(data);
    } else {
      const [{ data }] = await Promise.all([api('GET', '/channels'), pollCluster()]);
      data.forEach(record);
      renderChannels(data);
    }
    renderCluster();
    showConnection(true);
  } catch (e) {
    if (e instanceof Unauthorized) return signOut(e.message);
    // The server is restarting or the network is down: say so, keep polling.
    showConnection(false);
  }
  state.pollTimer = setTimeout(poll, POLL_MS);
}

// ---------- cluster ----------

// A server that runs alone answers 404 (no server.cluster): nothing to show, and nothing wrong. A 503 says the
// cluster's store does not answer: the card stays, with the last known nodes and leases and the reason on top.
async function pollCluster() {
  try {
    const { data } = await api('GET', '/cluster');
    state.cluster = data;
    state.clusterError = null;
  } catch (e) {
    if (e instanceof Unauthorized || e.status === undefined) throw e; // the poll handles both
    if (e.status === 404) {
      state.cluster = null;
      state.clusterError = null;
    } else {
      state.clusterError = e.message;
    }
  }
}

/** Whether this server is a node of a cluster (its last answer to GET /cluster was not a 404). */
function clustered() {
  return state.cluster !== null || state.clusterError !== null;
}

/** "this node" for the node that answers, else "node NAME". */
function nodeLabel(name) {
  return state.cluster && name === state.cluster.node ? 'this node' : 'node ' + name;
}

const NODE_LOOK = { up: 'live', down: 'down', draining: 'warn' };

function renderCluster() {
  $('cluster-card').hidden = !clustered();
  $('cluster-error').hidden = !state.clusterError;
  $('cluster-error').textContent = state.clusterError
    ? `The cluster's store does not answer (${state.clusterError}): the nodes and leases below are the last known.` : '';
  const cluster = state.cluster;
  if (!cluster) {
    $('cluster-nodes').replaceChildren();
    $('cluster-channels').replaceChildren();
    return;
  }
  $('cluster-nodes').replaceChildren(...cluster.nodes.map((n) => el('tr', { dataset: { node: n.name } },
    el('td', {}, el('span', { text: n.name, dataset: { field: 'name' } }),
      n.name === cluster.node ? el('span', { class: 'self', text: 'this node', dataset: { field: 'self' } }) : null),
    el('td', { text: n.address, dataset: { field: 'address' } }),
    el('td', {}, el('span', { class: 'badge ' + (NODE_LOOK[n.state] || ''), text: n.state, dataset: { field: 'state' } })),
    el('td', { text: age(n.lastHeartbeatAgeMs) + ' ago', dataset: { field: 'heartbeat' } }),
    el('td', { text: n.version, dataset: { field: 'version' } }))));
  $('cluster-channels').replaceChildren(...(cluster.channels.length ? cluster.channels.map((l) => el('tr', { dataset: { lease: l.name } },
    el('td', {}, el('a', { href: '#/channels/' + l.name, text: l.name })),
    el('td', { text: !l.owner ? 'no node' : l.owner === cluster.node ? `${l.owner} (this node)` : l.owner, dataset: { field: 'owner' } }),
    el('td', { text: String(l.epoch), dataset: { field: 'epoch' } }),
    el('td', { text: l.leaseRemainingMs > 0 ? age(l.leaseRemainingMs) : 'expired', dataset: { field: 'lease' } }),
    el('td', { text: l.backupIngests || '—', dataset: { field: 'backup-ingests' } })))
    : [el('tr', {}, el('td', { colspan: 5, text: 'No channel has been leased yet: a node takes a channel when an input goes live.' }))]));
}

// ---------- thumbnails ----------

// An <img src> cannot carry the Authorization header: each picture is fetched with it and shown from
// a blob: URL. The server makes pictures only while they are asked for, and only with ffmpeg; a 404
// (no picture yet, input down, no ffmpeg) shows none.
async function refreshThumbnails() {
  clearTimeout(state.thumbnailTimer);
  if (state.thumbnailsBusy) return; // the run in progress schedules the next one
  state.thumbnailsBusy = true;
  try {
    const c = state.channel;
    if (state.token && state.route.view === 'channel' && c && c.name === state.route.channel) {
      let changed = false;
      await Promise.all(c.inputs.map(async (i) => {
        const key = `${c.name}/${i.name}`;
        let url = null;
        try {
          const response = await fetch(`/api/v1/channels/${c.name}/inputs/${i.name}/thumbnail.jpg`, {
            headers: { Authorization: 'Bearer ' + state.token }, cache: 'no-store',
          });
          if (response.ok) url = URL.createObjectURL(await response.blob());
        } catch (e) {
          // the server is unreachable: the poll says so; keep the last picture
          return;
        }
        if (state.route.channel !== c.name) {
          if (url) URL.revokeObjectURL(url);
          return;
        }
        const old = state.thumbnails.get(key);
        if (old) URL.revokeObjectURL(old);
        if (url) state.thumbnails.set(key, url); else state.thumbnails.delete(key);
        changed = changed || Boolean(old) || Boolean(url);
      }));
      if (changed && state.channel) renderChannel(state.channel);
    }
  } finally {
    state.thumbnailsBusy = false;
    if (state.token) state.thumbnailTimer = setTimeout(refreshThumbnails, THUMBNAIL_MS);
  }
}

function forgetThumbnails() {
  state.thumbnails.forEach((url) => URL.revokeObjectURL(url));
  state.thumbnails.clear();
}

function record(channel) {
  const now = Date.now();
  const add = (key, bps) => {
    let series = state.history.get(key);
    if (!series) state.history.set(key, series = []);
    series.push([now, bps]);
    while (series.length && series[0][0] < now - CHART_WINDOW_MS) series.shift();
  };
  channel.inputs.forEach((i) => add(`${channel.name}/in/${i.name}`, i.bitrateBps));
  channel.destinations.forEach((d) => add(`${channel.name}/out/${d.name}`, d.bitrateBps));
}

// ---------- health ----------

/** green: fed, every input up and every enabled destination live; red: nothing fed or nothing reaches a destination. */
function health(channel) {
  const enabled = channel.destinations.filter((d) => d.state !== 'DISABLED');
  const live = enabled.filter((d) => d.state === 'LIVE');
  if (!channel.activeInput || (enabled.length > 0 && live.length === 0)) return 'red';
  const inputDown = channel.inputs.some((i) => i.state === 'DOWN');
  const mismatch = channel.compatibility && !channel.compatibility.inputsMatch;
  if (inputDown || live.length < enabled.length || mismatch) return 'amber';
  return 'green';
}

function liveCount(channel) {
  const live = channel.destinations.filter((d) => d.state === 'LIVE').length;
  return `${live} / ${channel.destinations.length}`;
}

// ---------- channels list ----------

function renderChannels(channels) {
  const rows = channels.map((c) => el('tr', {
    class: 'channel', dataset: { channel: c.name }, onclick: () => { location.hash = '#/channels/' + c.name; },
  },
  el('td', {}, el('span', { class: 'dot ' + health(c), title: health(c), dataset: { health: health(c) } })),
  el('td', {}, el('a', { href: '#/channels/' + c.name, text: c.name })),
  el('td', { text: c.activeInput || 'none', dataset: { field: 'active' } }),
  el('td', { text: c.inputs.map((i) => `${i.name} ${INPUT_LOOK[i.state][0]}`).join(', ') }),
  el('td', { text: liveCount(c), dataset: { field: 'destinations' } })));
  $('channel-rows').replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: 5, text: 'No channels.' }))]));
}

// ---------- channel page ----------

function renderChannel(c) {
  const h = health(c);
  $('channel-name').textContent = c.name;
  $('channel-health').className = 'dot ' + h;
  $('channel-health').dataset.health = h;
  const compat = c.compatibility;
  const notes = [];
  if (compat && compat.mismatches.length) notes.push('Inputs differ: ' + compat.mismatches.join('; '));
  if (compat && compat.warnings.length) notes.push('Warning: ' + compat.warnings.join('; '));
  $('compatibility').textContent = notes.join(' · ');

  // In a cluster only the channel's owner connects its destinations; on any other node the list is empty.
  const inCluster = clustered() || Boolean(c.owner);
  const here = relaysHere(c);
  $('owner').hidden = !inCluster;
  $('owner').textContent = !inCluster ? ''
    : c.owner ? `relayed by ${nodeLabel(c.owner)}` : 'no node relays this channel now (it needs a live input)';
  $('owner').dataset.owner = c.owner || '';

  $('inputs').replaceChildren(...c.inputs.map((i) => inputTile(c, i)));
  $('destinations').replaceChildren(...(c.destinations.length ? c.destinations.map((d) => destinationTile(c, d))
    : here ? [el('p', { class: 'hint', dataset: { hint: 'no-destinations' },
      text: 'No destinations yet: “Add destination” sends this channel to YouTube, Twitch, Facebook, Kick or any RTMP(S) server.' })]
      : [el('p', { class: 'hint', dataset: { hint: 'elsewhere' },
        text: c.owner ? `Destinations are connected by node ${c.owner}: its dashboard shows their state.`
          : 'Destinations are connected by the node that takes this channel, once an input is live.' })]));

  const sw = $('switch');
  sw.classList.toggle('none', !c.activeInput);
  $('switch-label').textContent = !c.activeInput ? 'no input feeds the destinations'
    : here ? `${c.activeInput} feeds ${c.destinations.filter((d) => d.state === 'LIVE').length} destination(s)`
      : `inputs connected here are forwarded to ${c.owner ? 'node ' + c.owner : 'the node that relays the channel'}`;
  sw.dataset.active = c.activeInput || '';

  drawChart($('input-chart'), $('input-legend'), c.inputs.map((i) => [i.name, `${c.name}/in/${i.name}`]));
  drawChart($('destination-chart'), $('destination-legend'), c.destinations.map((d) => [d.name, `${c.name}/out/${d.name}`]));
}

/**
 * Whether this server connects the channel's destinations: always when it runs alone, in a cluster only when it
 * holds the channel's lease. Another node sees only the encoders connected to itself, and forwards them to the owner.
 */
function relaysHere(c) {
  if (!clustered() && !c.owner) return true;
  return Boolean(state.cluster && c.owner === state.cluster.node);
}

function inputTile(c, i) {
  const [label, look] = INPUT_LOOK[i.state];
  const here = relaysHere(c);
  const feeding = here && c.activeInput === i.name;
  const thumbnail = state.thumbnails.get(`${c.name}/${i.name}`);
  const actions = el('div', { class: 'tile-actions' },
    // on a node that does not relay the channel a switch would change nothing on air: the owner decides
    feeding || !here || !may('operator') ? null : el('button', {
      type: 'button', class: 'small', dataset: { action: 'switch' }, text: 'Switch to ' + i.name,
      // only a standby input can take over: a down one would be refused, so it is not offered
      disabled: i.state !== 'STANDBY',
      title: i.state !== 'STANDBY' ? `${i.name} cannot take over: ${i.reason || i.state.toLowerCase()}` : null,
      onclick: () => confirmThen(`Switch channel ${c.name} to input ${i.name}? Viewers will see the switch.`,
        () => act('Switch', () => api('POST', `/channels/${c.name}/switch`, { input: i.name }))),
    }),
    i.state === 'DOWN' ? null : el('button', {
      type: 'button', class: 'small', dataset: { action: 'preview-input' }, text: 'Preview',
      onclick: () => startPreview(i.name),
    }),
    !may('admin') ? null : el('button', {
      // The key is fetched only when the operator asks, and cleared when the dialog closes.
      type: 'button', class: 'small', dataset: { action: 'show-ingest' }, text: 'Ingest URL…',
      onclick: () => act('Ingest URL', async () => {
        const { data } = await api('GET', `/channels/${c.name}/inputs/${i.name}/ingest`);
        $('ingest-input').textContent = `${c.name}/${i.name}`;
        $('ingest-server').textContent = data.server || '';
        $('ingest-key').textContent = data.key;
        $('ingest-url').textContent = data.url || '';
        $('ingest-rtmps-url').textContent = data.rtmpsUrl || '';
        for (const el of document.querySelectorAll('.ingest-rtmps')) el.hidden = !data.rtmpsUrl;
        $('ingest-srt-url').textContent = data.srtUrl || '';
        for (const el of document.querySelectorAll('.ingest-srt')) el.hidden = !data.srtUrl;
        $('ingest-dialog').showModal();
      }),
    }),
    !may('admin') ? null : el('button', {
      type: 'button', class: 'small', dataset: { action: 'rotate-key' }, text: 'Rotate key',
      onclick: () => confirmThen(`Give input ${i.name} a new stream key? The old key stops working for new connections.`,
        () => act('Key rotation', async () => {
          const { data } = await api('POST', `/channels/${c.name}/inputs/${i.name}/key`);
          $('key-input').textContent = i.name;
          $('key-value').textContent = data.key;
          $('key-dialog').showModal();
        })),
    }));
  return el('article', { class: `tile ${look}${feeding ? ' feeding' : ''}`, dataset: { input: i.name, state: label } },
    el('div', { class: 'tile-head' },
      el('span', { class: 'tile-name', text: i.name }),
      el('span', { class: 'badge ' + look, text: label, dataset: { field: 'state' } }),
      feeding ? el('span', { class: 'feeds', text: '➜ feeds destinations', dataset: { field: 'feeds' } }) : null,
      el('span', { class: 'spacer' }),
      el('span', { class: 'note', text: i.priority === 0 ? 'primary' : 'backup ' + i.priority })),
    i.node ? el('div', { class: 'note', text: `on node ${i.node} (forwarded here over the cluster link)`, dataset: { field: 'node' } }) : null,
    !here && i.state !== 'DOWN' ? el('div', { class: 'note', dataset: { field: 'forwarded' },
      text: `➜ forwarded to ${c.owner ? 'node ' + c.owner : 'the node that takes the channel'}` }) : null,
    !here && i.state === 'DOWN' ? el('div', { class: 'note', dataset: { field: 'elsewhere' },
      text: `not connected to this node; ${c.owner ? 'node ' + c.owner + '’s' : 'the relaying node’s'} dashboard shows every input` }) : null,
    i.reason ? el('div', { class: 'reason', text: i.reason, dataset: { field: 'reason' } }) : null,
    thumbnail ? el('img', { class: 'thumbnail', src: thumbnail, alt: 'picture of input ' + i.name, dataset: { field: 'thumbnail' } }) : null,
    el('dl', { class: 'stats' },
      stat('bitrate', kbps(i.bitrateBps), 'bitrate'),
      stat('fps', i.fps ? i.fps.toFixed(1) : '—', 'fps'),
      stat('last packet', age(i.lastPacketAgeMs), 'age'),
      stat('from', i.remoteAddress ? i.remoteAddress.replace(/^\//, '') : '—', 'remote'),
      stat('via', i.transport ? i.transport.toUpperCase() : '—', 'transport')),
    i.srt ? srtLinkStats(i.srt) : null,
    el('div', { class: 'note', text: i.format || 'no media yet', dataset: { field: 'format' } }),
    actions);
}

/** SRT's own view of the encoder's link: what decides whether a cellular backup will hold. */
function srtLinkStats(s) {
  return el('dl', { class: 'stats srt', dataset: { field: 'srt' } },
    stat('SRT RTT', `${s.rttMs.toFixed(1)} ms`, 'srt-rtt'),
    stat('link', `${s.bandwidthMbps.toFixed(1)} Mbps`, 'srt-bandwidth'),
    stat('lost / retransmitted', `${s.packetsLost} / ${s.packetsRetransmitted}`, 'srt-loss'),
    stat('dropped', String(s.packetsDropped), 'srt-dropped'),
    stat('latency', `${s.latencyMs} ms`, 'srt-latency'));
}

function destinationTile(c, d) {
  // connected, but nothing to send (no input feeds the channel): not green, it is not on air
  const shown = d.state === 'LIVE' && d.idle ? 'IDLE' : d.state;
  const look = DESTINATION_LOOK[shown] ?? '';
  const configName = d.name.split('/')[0]; // "x/backup" is the backup row of destination x
  const isBackupRow = configName !== d.name;
  const actions = isBackupRow || !may('operator') ? null : el('div', { class: 'tile-actions' },
    d.state === 'DISABLED'
      ? el('button', {
        type: 'button', class: 'small', dataset: { action: 'enable' }, text: 'Enable',
        onclick: () => act('Enable', () => api('PATCH', `/channels/${c.name}/destinations/${configName}`, { enabled: true })),
      })
      : el('button', {
        type: 'button', class: 'small', dataset: { action: 'disable' }, text: 'Disable',
        onclick: () => confirmThen(`Stop sending channel ${c.name} to ${configName}?`,
          () => act('Disable', () => api('PATCH', `/channels/${c.name}/destinations/${configName}`, { enabled: false }))),
      }),
    !may('admin') ? null : el('button', {
      type: 'button', class: 'small', dataset: { action: 'remove' }, text: 'Remove',
      onclick: () => confirmThen(`Remove destination ${configName} from channel ${c.name}? Its URL and key are deleted.`,
        () => act('Remove', () => api('DELETE', `/channels/${c.name}/destinations/${configName}`))),
    }));
  return el('article', { class: 'tile ' + look, dataset: { destination: d.name, state: shown } },
    el('div', { class: 'tile-head' },
      el('span', { class: 'tile-name', text: d.name }),
      el('span', { class: 'badge ' + look, text: shown, dataset: { field: 'state' },
        title: shown === 'IDLE' ? 'connected, waiting: no input feeds the channel' : null })),
    el('div', { class: 'url', text: d.url }),
    isBackupRow ? null : preflightLine(c, configName),
    d.lastError ? el('div', { class: 'reason', text: 'last error: ' + d.lastError, dataset: { field: 'error' } }) : null,
    el('dl', { class: 'stats' },
      stat('uptime', duration(d.uptimeMs), 'uptime'),
      stat('bitrate', kbps(d.bitrateBps), 'bitrate'),
      stat('dropped', String(d.framesDropped), 'drops'),
      stat('reconnects', String(d.reconnects), 'reconnects')),
    actions);
}

// The destination's platform rules against each input that sends media (GET /channels/{name} preflight): a badge
// with the worst verdict, and each rule an input breaks, with what it sends; the rule's source page in the title.
const VERDICT_LOOK = { ok: 'live', warning: 'warn', violation: 'down' };
function preflightLine(c, destination) {
  const p = (c.preflight || []).find((x) => x.destination === destination);
  if (!p) return null;
  const problems = [];
  for (const input of p.inputs) {
    for (const f of input.findings) {
      if (f.level === 'ok') continue;
      problems.push(el('li', { class: f.level, title: `${f.level}: ${f.rule}; source: ${f.source}`,
        dataset: { input: input.input, level: f.level },
        text: `${input.input}: ${f.rule} (sends ${f.measured})` }));
    }
  }
  const checked = p.inputs.length ? p.inputs.map((i) => `${i.input} ${i.verdict}`).join(', ') : 'no input sends media yet';
  return el('div', { class: 'preflight', dataset: { field: 'preflight', verdict: p.verdict } },
    el('span', { class: 'badge ' + (VERDICT_LOOK[p.verdict] || ''), text: `${p.platform} ${p.verdict}`,
      title: `${p.platform} rules, per input: ${checked}` }),
    problems.length ? el('ul', { class: 'findings' }, problems) : null);
}

// ---------- chart (canvas, drawn here: no library needed for a few lines) ----------

function drawChart(canvas, legend, series) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 560;
  const height = canvas.clientHeight || 180;
  if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
  if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  const left = 56, right = 8, top = 8, bottom = 20;
  const now = Date.now();
  const data = series.map(([name, key]) => [name, state.history.get(key) || []]);
  const max = Math.max(100_000, ...data.flatMap(([, s]) => s.map((p) => p[1]))) * 1.15;
  // the time axis spans what we have seen, from one minute up to the full ten
  const oldest = Math.min(now, ...data.flatMap(([, s]) => (s.length ? [s[0][0]] : [])));
  const span = Math.min(CHART_WINDOW_MS, Math.max(CHART_MIN_SPAN_MS, now - oldest));
  const x = (t) => left + (width - left - right) * (1 - (now - t) / span);
  const y = (v) => top + (height - top - bottom) * (1 - v / max);

  g.font = '11px system-ui, sans-serif';
  g.strokeStyle = '#2a3441';
  g.fillStyle = '#8e9aab';
  g.lineWidth = 1;
  for (let k = 0; k <= 4; k++) {
    const v = (max / 1.15) * k / 4;
    g.beginPath();
    g.moveTo(left, y(v));
    g.lineTo(width - right, y(v));
    g.stroke();
    g.fillText(kbps(v), 2, y(v) + 4);
  }
  const seconds = span / 1000;
  for (const back of [seconds, seconds / 2, 0]) {
    const label = back === 0 ? 'now' : back >= 120 ? `-${(back / 60).toFixed(1).replace(/\.0$/, '')} min` : `-${Math.round(back)} s`;
    g.fillText(label, x(now - back * 1000) - (back === 0 ? 22 : back === seconds ? 0 : 14), height - 4);
  }
  legend.replaceChildren();
  data.forEach(([name, points], n) => {
    const colour = COLOURS[n % COLOURS.length];
    g.strokeStyle = colour;
    g.lineWidth = 2;
    g.beginPath();
    points.forEach(([t, v], k) => (k ? g.lineTo(x(t), y(v)) : g.moveTo(x(t), y(v))));
    g.stroke();
    const last = points.length ? points[points.length - 1][1] : undefined;
    legend.append(el('span', { style: { '--c': colour }, text: `${name} ${kbps(last)}` }));
  });
}

// ---------- events (live timeline) ----------

// EventSource cannot send an Authorization header, and the token must not go into a URL (it would be
// logged and kept in history). So the stream is read with fetch(), which sends the bearer header like
// every other call, and parsed here; the server's API and its single way of authenticating stay as
// they are. Reconnects are ours to do: after an error or the end of the stream we wait and reopen.
// We reopen without Last-Event-ID: a restarted server numbers its events from 1 again, so an id from
// the previous process would hide new events; the replayed history is de-duplicated below instead.
async function subscribeToEvents() {
  if (state.events_abort) state.events_abort.abort();
  const abort = new AbortController();
  state.events_abort = abort;
  let delay = 500;
  while (!abort.signal.aborted && state.token) {
    try {
      const response = await fetch('/api/v1/events', {
        headers: { Authorization: 'Bearer ' + state.token, Accept: 'text/event-stream' },
        signal: abort.signal, cache: 'no-store',
      });
      if (response.status === 401) return signOut('the server refused the admin token');
      if (!response.ok || !response.body) throw new Error('HTTP ' + response.status);
      delay = 500;
      refreshSoon(); // whatever changed while we were away
      await readEventStream(response.body.getReader());
    } catch (e) {
      if (abort.signal.aborted) return;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 5000);
  }
}

async function readEventStream(reader) {
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
      if (data) {
        try {
          onEvent(JSON.parse(data));
        } catch (ignored) {
          // a keep-alive or a line we do not know: nothing to show
        }
      }
    }
  }
}

function onEvent(e) {
  if (!e || typeof e.sequence !== 'number') return;
  const key = `${e.sequence}/${e.atEpochMs}/${e.type}`;
  if (state.eventKeys.has(key)) return;
  state.eventKeys.add(key);
  state.events.push(e);
  state.events.sort((a, b) => a.atEpochMs - b.atEpochMs || a.sequence - b.sequence);
  while (state.events.length > MAX_TIMELINE) state.eventKeys.delete(eventKey(state.events.shift()));
  renderTimeline();
  refreshSoon(); // the tiles follow the event at once, not at the next poll
}

function eventKey(e) {
  return `${e.sequence}/${e.atEpochMs}/${e.type}`;
}

function describe(e) {
  switch (e.type) {
    case 'SWITCH': {
      const figures = [e.detectionDelayMs >= 0 ? `detected in ${e.detectionDelayMs} ms` : null,
        e.gapMs >= 0 ? `output gap ${e.gapMs} ms` : null].filter(Boolean);
      const timing = figures.length ? ` (${figures.join(', ')})` : '';
      return `${e.from || 'none'} ➜ ${e.to || 'none'}: ${e.reason || ''}${timing}`;
    }
    case 'INPUT_DOWN': return `${e.input} down${e.reason ? ': ' + e.reason : ''}`;
    case 'INPUT_UP': return `${e.input} connected${e.reason ? ': ' + e.reason : ''}`;
    case 'INPUT_HEALTHY': return `${e.input} healthy`;
    case 'REHEARSAL_STARTED': return `drill: ${e.reason || e.input + ' marked failed'}`;
    case 'REHEARSAL_ENDED': return `drill on ${e.input} ended: ${e.reason || ''}`;
    case 'DESTINATION_STATE': {
      // the destination by name; its URL (even masked) says nothing the operator needs here
      const reason = (e.reason || '').replace(/\s*(?:to|from|at)?\s*rtmps?:\/\/\S+/g, '').trim();
      return `${e.destination}: ${(e.from || 'new').toLowerCase()} ➜ ${e.to.toLowerCase()}${reason ? ' (' + reason + ')' : ''}`;
    }
    case 'PREFLIGHT_VERDICT': return `${e.destination} on ${e.input}: ${e.from || 'new'} ➜ ${e.to} (${e.reason || ''})`;
    case 'LEASE_ACQUIRED': return `node ${e.to} relays the channel now (${e.reason || ''})`;
    case 'LEASE_LOST': return `node ${e.from} no longer relays the channel (${e.reason || ''})`;
    case 'NODE_UP': return `node ${e.to} is up (${e.reason || ''})`;
    case 'NODE_DOWN': return `node ${e.to} is down (${e.reason || ''})`;
    case 'DRAIN_STARTED': return `node ${e.to} drains (${e.reason || ''})`;
    case 'DRAIN_FINISHED': return `node ${e.to} finished draining (${e.reason || ''})`;
    default: return e.reason || '';
  }
}

const EVENT_KINDS = {
  switch: (t) => t === 'SWITCH',
  input: (t) => t.startsWith('INPUT'),
  destination: (t) => t === 'DESTINATION_STATE' || t === 'PREFLIGHT_VERDICT',
  drill: (t) => t.startsWith('REHEARSAL'),
  cluster: (t) => t.startsWith('LEASE'),
};

/** A destination that keeps failing: its connect/retry rows, one after the other, become one row with a count. */
function isRetry(e) {
  return e.type === 'DESTINATION_STATE' && (e.to === 'RETRYING' || e.to === 'CONNECTING');
}

function renderTimeline() {
  const filter = $('timeline-filter') ? $('timeline-filter').value : 'all';
  const shown = state.events.filter((e) => (state.route.view !== 'channel' || e.channel === state.route.channel)
    && (filter === 'all' || EVENT_KINDS[filter](e.type)));
  const rows = [];
  for (const e of shown.slice().reverse()) {
    const last = rows[rows.length - 1];
    if (last && isRetry(e) && isRetry(last.event) && last.event.destination === e.destination
        && last.event.channel === e.channel) {
      last.count++;
      continue;
    }
    rows.push({ event: e, count: 1 });
  }
  const kind = (t) => (t === 'SWITCH' ? 'switch-event' : t === 'INPUT_DOWN' ? 'down-event' : t.startsWith('INPUT') ? 'up-event'
    : t === 'DESTINATION_STATE' ? 'destination-event' : 'drill-event');
  $('timeline').replaceChildren(...rows.map(({ event: e, count }) => el('li', { class: kind(e.type), dataset: { type: e.type } },
    el('time', { text: clock(e.atEpochMs) }),
    el('span', { class: 'type', text: e.type.toLowerCase().replace('_', ' ') }),
    el('span', { text: describe(e) + (count > 1 ? ` — ${count} connection attempts and retries, latest shown` : '') }))));
}

// ---------- dialogs and actions ----------

/** Shows the confirmation dialog and runs {@code action} only when the operator confirms. */
function confirmThen(text, action) {
  const dialog = $('confirm-dialog');
  $('confirm-text').textContent = text;
  dialog.returnValue = '';
  dialog.addEventListener('close', () => { if (dialog.returnValue === 'ok') action(); }, { once: true });
  dialog.showModal();
}

function openRehearsal() {
  const dialog = $('rehearse-dialog');
  dialog.returnValue = '';
  dialog.addEventListener('close', () => {
    if (dialog.returnValue !== 'ok') return;
    const seconds = Number($('rehearse-seconds').value);
    const channel = state.route.channel;
    act('Rehearsal', async () => {
      const { data, response } = await api('POST', `/channels/${channel}/rehearsals`, { durationSeconds: seconds });
      const where = (response.headers.get('Location') || `/api/v1/channels/${channel}/rehearsals/${data.id}`).replace(/^\/api\/v1/, '');
      state.rehearsal = { channel, where };
      showRehearsal({ status: 'running', durationSeconds: seconds });
      followRehearsal(state.rehearsal);
    });
  }, { once: true });
  dialog.showModal();
}

async function followRehearsal(rehearsal) {
  while (state.rehearsal === rehearsal) {
    try {
      const { data } = await api('GET', rehearsal.where);
      showRehearsal(data);
      if (data.status !== 'running') return;
    } catch (e) {
      if (e instanceof Unauthorized) return signOut(e.message);
      if (/no rehearsal/.test(e.message)) return showRehearsal({ status: 'failed', error: 'the server no longer knows this rehearsal (restarted?)' });
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function showRehearsal(r) {
  $('rehearsal-panel').hidden = false;
  const box = $('rehearsal-report');
  box.dataset.status = r.status;
  if (r.status === 'running') {
    box.replaceChildren(el('p', { text: `Running: the active input is marked failed for ${r.durationSeconds} s…` }));
    return;
  }
  const rep = r.report;
  const rows = [['result', r.status]];
  if (rep) {
    rows.push(['failed input', rep.failedInput], ['switched to', rep.switchedTo || 'nothing could take over'],
      ['detection delay', rep.detectionDelayMs >= 0 ? rep.detectionDelayMs + ' ms' : '—'],
      ['switch time', rep.switchMs >= 0 ? rep.switchMs + ' ms' : '—'],
      ['output gap', rep.gapMs >= 0 ? rep.gapMs + ' ms' : '—'],
      ['repeated content', rep.repeatedMs >= 0 ? rep.repeatedMs + ' ms' : '—'],
      ['destination reconnects', Object.entries(rep.destinationReconnects || {}).map(([k, v]) => `${k}: ${v}`).join(', ') || 'none'],
      ['destinations got', (rep.destinations || []).map((d) => `${d.destination}: ${d.decodable ? 'decodable' : 'NOT decodable (' + d.problem + ')'}, `
        + `${d.videoFrames} video / ${d.audioFrames} audio frames, largest video step ${d.maxVideoDtsStepMs} ms`).join('; ') || 'no destinations'],
      ['inputs match', rep.compatibility ? (rep.compatibility.inputsMatch ? 'yes' : 'no: ' + rep.compatibility.mismatches.join('; ')) : '—']);
  }
  if (r.problems && r.problems.length) rows.push(['problems', r.problems.join('; ')]);
  if (r.error) rows.push(['error', r.error]);
  box.replaceChildren(el('dl', {}, rows.map(([k, v]) => [
    el('dt', { text: k }),
    el('dd', { text: v, class: k === 'result' ? r.status : null, dataset: { field: k.replace(/ /g, '-') } })])));
}

function openAddDestination() {
  const dialog = $('destination-dialog');
  $('destination-form').reset();
  $('destination-server').value = PRESETS.youtube;
  $('destination-name').value = 'youtube';
  $('destination-error').hidden = true;
  dialog.returnValue = '';
  dialog.showModal();
}

async function saveDestination(event) {
  event.preventDefault();
  if (event.submitter && event.submitter.value === 'cancel') return $('destination-dialog').close('cancel');
  const url = $('destination-server').value.trim() + $('destination-key').value.trim();
  const name = $('destination-name').value.trim();
  try {
    await api('POST', `/channels/${state.route.channel}/destinations`, { name, url });
    $('destination-dialog').close('ok');
    toast(`Destination ${name} added`);
    refreshSoon();
  } catch (e) {
    if (e instanceof Unauthorized) return signOut(e.message);
    $('destination-error').textContent = e.message;
    $('destination-error').hidden = false;
  }
}

// ---------- wiring ----------

document.addEventListener('DOMContentLoaded', () => {
  $('sign-in-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', () => signOut());
  $('rehearse').addEventListener('click', openRehearsal);
  $('preview-toggle').addEventListener('click', togglePreview);
  $('add-destination').addEventListener('click', openAddDestination);
  $('destination-form').addEventListener('submit', saveDestination);
  $('destination-preset').addEventListener('change', (e) => {
    $('destination-server').value = PRESETS[e.target.value];
    // a preset names the destination after its platform; Custom leaves the name to the operator
    $('destination-name').value = e.target.value === 'custom' ? '' : e.target.value;
  });
  $('key-copy').addEventListener('click', () => copyText('key-value'));
  $('token-form').addEventListener('submit', createToken);
  $('token-copy').addEventListener('click', () => copyText('token-value'));
  $('token-dialog').addEventListener('close', () => { $('token-value').textContent = ''; }); // shown once
  $('key-dialog').addEventListener('close', () => { $('key-value').textContent = ''; }); // shown once
  for (const what of ['server', 'key', 'url']) {
    $('ingest-copy-' + what).addEventListener('click', () => copyText('ingest-' + what));
  }
  $('ingest-dialog').addEventListener('close', () => {
    for (const what of ['server', 'key', 'url', 'rtmps-url', 'srt-url']) { $('ingest-' + what).textContent = ''; }
  });
  window.addEventListener('hashchange', onRoute);
  $('timeline-filter').addEventListener('change', renderTimeline);
  window.addEventListener('resize', () => state.channel && renderChannel(state.channel));
  if (state.token) start();
  else showOnly('sign-in-view');
});
