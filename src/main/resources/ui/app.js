// fanin's live page: plain ES2020, no framework, no build step, nothing from outside this origin.
// It reads fanin's Server-Sent Events with fetch() and a stream reader rather than EventSource,
// because EventSource can neither POST a definition nor send Authorization: Bearer.
'use strict';

const EXAMPLE = {
  sources: [
    { id: 'btc', url: 'http://quotes.demo.localhost/BTC' },
    { id: 'eth', url: 'http://quotes.demo.localhost/ETH' },
    { id: 'aapl', url: 'http://quotes.demo.localhost/AAPL', timeoutMs: 800, retries: 1 },
    { id: 'markets', url: 'http://news.demo.localhost/markets' },
    { id: 'flaky', url: 'http://flaky.demo.localhost/', retries: 2, optional: true },
  ],
  deadlineMs: 3000,
  concurrency: 16,
};
const KEY_STORE = 'fanin.apiKey';
const MAX_FOLLOWED = 20;

const $ = (id) => document.getElementById(id);
const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};
const ms = (v) => (v >= 1000 ? (v / 1000).toFixed(2) + ' s' : (Math.round(v * 10) / 10) + ' ms');

let current = null; // the run on screen
let feeds = []; // GET /v1/feeds
const followers = new Map(); // scheduled feed name -> AbortController

// ---------- the API ----------

function headers(extra) {
  const h = Object.assign({}, extra);
  const key = $('api-key').value.trim();
  if (key) h.Authorization = 'Bearer ' + key;
  return h;
}

async function problemText(res) {
  try {
    const p = await res.json();
    return `${res.status} ${p.title || ''}: ${p.detail || ''}`;
  } catch (e) {
    return `${res.status} ${res.statusText}`;
  }
}

/** Calls onEvent(name, data, id) for each event of a text/event-stream body, until it ends. */
async function readEvents(res, onEvent) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    buffer = buffer.replace(/\r\n|\r(?=.)/g, '\n');
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let name = 'message';
      let id = null;
      const data = [];
      for (const line of block.split('\n')) {
        if (line === '' || line.startsWith(':')) continue;
        const i = line.indexOf(':');
        const field = i < 0 ? line : line.slice(0, i);
        let v = i < 0 ? '' : line.slice(i + 1);
        if (v.startsWith(' ')) v = v.slice(1);
        if (field === 'event') name = v;
        else if (field === 'data') data.push(v);
        else if (field === 'id') id = v;
      }
      if (data.length) onEvent(name, data.join('\n'), id);
    }
  }
}

// ---------- what to run ----------

function mode() {
  return $('mode-feed').checked ? 'feed' : 'definition';
}

/** {url, method, body, sources} for the run the form describes, or null (with a message). */
function request() {
  if (mode() === 'definition') {
    let def;
    try {
      def = JSON.parse($('definition').value);
    } catch (e) {
      say('The definition is not JSON: ' + e.message, true);
      return null;
    }
    return { url: '/v1/aggregate', method: 'POST', body: JSON.stringify(def), definition: def, label: 'definition' };
  }
  const name = $('feed').value;
  if (!name) {
    say('Pick a named feed first.', true);
    return null;
  }
  const query = new URLSearchParams();
  for (const input of $('feed-params').querySelectorAll('input')) {
    if (input.value !== '') query.set(input.dataset.param, input.value);
  }
  const q = query.toString();
  const feed = feeds.find((f) => f.name === name);
  return {
    url: `/v1/feeds/${encodeURIComponent(name)}/aggregate` + (q ? '?' + q : ''), method: 'GET', body: undefined,
    definition: feed && feed.definition, label: 'feed ' + name,
  };
}

function say(text, error) {
  $('message').textContent = text;
  $('message').classList.toggle('error', !!error);
}

// ---------- a run ----------

async function run() {
  const req = request();
  if (!req) return;
  if (current && current.controller) current.controller.abort();
  const controller = new AbortController();
  const state = {
    req, controller, started: performance.now(), results: new Map(), rows: new Map(), summary: null, scale: 0,
    optional: new Set(), complete: req.definition && req.definition.complete,
  };
  current = state;
  document.body.dataset.state = 'running';
  $('results').hidden = false;
  $('rows').textContent = '';
  $('detail').textContent = '';
  $('detail-id').textContent = 'a source';
  $('har').disabled = false;
  $('status').textContent = 'Running ' + req.label + '…';
  say('');
  const sources = (req.definition && Array.isArray(req.definition.sources)) ? req.definition.sources : [];
  for (const s of sources) {
    if (s && typeof s.id === 'string') {
      if (s.optional === true) state.optional.add(s.id);
      row(state, s.id);
    }
  }
  const tick = setInterval(() => draw(state), 100);
  try {
    const res = await fetch(req.url, {
      method: req.method, body: req.body, signal: controller.signal,
      headers: headers(req.body ? { 'Content-Type': 'application/json', Accept: 'text/event-stream' }
        : { Accept: 'text/event-stream' }),
    });
    if (!res.ok) {
      const text = await problemText(res);
      fail(state, 'fanin refused the run: ' + text);
      return;
    }
    await readEvents(res, (name, data) => {
      if (current !== state) return;
      const json = JSON.parse(data);
      if (name === 'result') result(state, json);
      else if (name === 'summary') summary(state, json);
    });
    if (!state.summary && current === state) fail(state, 'the stream ended without a summary');
  } catch (e) {
    if (e.name !== 'AbortError') fail(state, 'the run failed: ' + e.message);
  } finally {
    clearInterval(tick);
    if (current === state) draw(state);
  }
}

function fail(state, text) {
  if (current !== state) return;
  $('status').textContent = text;
  say(text, true);
  document.body.dataset.state = 'error';
}

function row(state, id) {
  let r = state.rows.get(id);
  if (r) return r;
  const button = el('button', 'row pending');
  button.type = 'button';
  button.dataset.id = id;
  button.setAttribute('aria-pressed', 'false');
  button.setAttribute('aria-label', `${id}: running`);
  const label = el('span', 'row-label');
  label.append(el('span', 'row-id', id));
  const track = el('span', 'track');
  const running = el('span', 'attempt');
  const bar = el('span', 'seg phase-running');
  bar.title = `${id}: running`;
  running.append(bar);
  track.append(running);
  button.append(label, track);
  button.addEventListener('click', () => show(state, id));
  $('rows').append(button);
  r = { button, label, track, running };
  state.rows.set(id, r);
  return r;
}

function show(state, id) {
  for (const r of state.rows.values()) r.button.setAttribute('aria-pressed', 'false');
  const r = state.rows.get(id);
  if (r) r.button.setAttribute('aria-pressed', 'true');
  const res = state.results.get(id);
  $('detail-id').textContent = id;
  $('detail').textContent = res ? JSON.stringify(res, null, 2) : 'still running';
}

const PHASES = [['wait', 'waiting'], ['connect', 'connect'], ['head', 'request to response head'],
  ['body', 'body'], ['backoff', 'backoff']];

/** The pieces of a source's bar: {start, dur, phase, text} in ms from the aggregation's start. */
function pieces(res) {
  const out = [];
  const attempts = (res.timings && res.timings.attempts) || [];
  attempts.forEach((a, n) => {
    let t = a.startMs || 0;
    const w = a.waitMs || {};
    const wait = (w.slot || 0) + (w.budget || 0) + (w.origin || 0) + (w.pool || 0);
    const parts = [['wait', wait], ['connect', a.connectMs || 0], ['head', a.headMs || 0], ['body', a.bodyMs || 0],
      ['backoff', a.backoffAfterMs || 0]];
    for (const [phase, dur] of parts) {
      if (dur > 0) {
        const name = PHASES.find((p) => p[0] === phase)[1];
        out.push({ start: t, dur, phase, attempt: n, text: `attempt ${n + 1}: ${name} ${ms(dur)}` });
      }
      t += dur;
    }
  });
  if (!attempts.length) {
    const from = res.timings && res.timings.from;
    const dur = Math.max(res.latencyMs || 0, 0);
    const phase = from === 'coalesced' ? 'wait' : 'instant';
    const what = from === 'coalesced' ? 'waited for an identical request'
      : from === 'cache' ? 'answered from the cache' : 'nothing sent';
    out.push({ start: 0, dur, phase, attempt: 0, text: `${what} ${ms(dur)}` });
  }
  return out;
}

function marks(res) {
  const m = [];
  const from = res.timings && res.timings.from;
  const kind = res.error && res.error.kind;
  if (res.cache === 'hit' || (from === 'cache' && res.cache !== 'stale')) m.push(['cache-hit', 'cache hit']);
  if (res.cache === 'stale') m.push(['cache-hit', 'stale']);
  if (from === 'coalesced' || res.cache === 'coalesced') m.push(['coalesced', 'coalesced']);
  if (kind === 'circuit_open') m.push(['circuit-open', 'breaker open']);
  if (kind === 'rate_limited') m.push(['rate-limited', 'rate limited']);
  if (res.status === 'error') m.push(['failed', 'failed' + (kind ? ': ' + kind : '')]);
  return m;
}

function result(state, res) {
  state.results.set(res.id, res);
  const r = row(state, res.id);
  r.button.classList.remove('pending');
  r.running.remove();
  r.button.classList.toggle('failed', res.status === 'error');
  const m = marks(res);
  for (const [cls, text] of m) {
    r.button.classList.add(cls);
    r.label.append(el('span', 'badge ' + cls, text));
  }
  const ps = pieces(res);
  for (const p of ps) {
    const seg = el('span', `seg phase-${p.phase}`);
    seg.dataset.start = p.start;
    seg.dataset.dur = p.dur;
    seg.title = `${res.id}: ${p.text}`;
    seg.setAttribute('aria-label', p.text);
    r.track.append(seg);
  }
  const outcome = res.status === 'ok' ? `ok (HTTP ${res.httpStatus})`
    : `failed (${res.error ? res.error.kind + ': ' + res.error.message : 'error'})`;
  r.button.setAttribute('aria-label', `${res.id}: ${outcome} in ${ms(res.latencyMs || 0)}, `
    + `${res.attempts} attempt${res.attempts === 1 ? '' : 's'}`
    + (m.length ? ', ' + m.map((x) => x[1]).join(', ') : '') + '; ' + ps.map((p) => p.text).join('; '));
  draw(state);
}

function end(res) {
  return pieces(res).reduce((e, p) => Math.max(e, p.start + p.dur), res.startMs + res.latencyMs || 0);
}

function niceScale(v) {
  const x = Math.max(v, 10);
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  for (const f of [1, 2, 2.5, 5, 10]) if (f * p >= x) return f * p;
  return 10 * p;
}

/** Lays out every bar on the shared axis, which grows as the run does. */
function draw(state) {
  if (current !== state) return;
  const elapsed = state.summary ? state.summary.durationMs : performance.now() - state.started;
  let latest = elapsed;
  for (const res of state.results.values()) latest = Math.max(latest, end(res));
  const scale = niceScale(latest * 1.05);
  const pct = (v) => Math.min(100, (v / scale) * 100) + '%';
  if (scale !== state.scale) {
    state.scale = scale;
    const axis = $('axis');
    axis.textContent = '';
    for (let i = 0; i <= 4; i++) {
      const t = el('span', 'tick', ms((scale * i) / 4));
      t.style.left = (i * 25) + '%';
      axis.append(t);
    }
    for (const seg of $('rows').querySelectorAll('.seg[data-start]')) {
      seg.style.left = pct(Number(seg.dataset.start));
      seg.style.width = `max(2px, ${pct(Number(seg.dataset.dur))})`;
    }
  }
  for (const seg of $('rows').querySelectorAll('.seg[data-start]:not([style])')) {
    seg.style.left = pct(Number(seg.dataset.start));
    seg.style.width = `max(2px, ${pct(Number(seg.dataset.dur))})`;
  }
  for (const r of state.rows.values()) {
    if (r.running.isConnected) {
      r.running.style.left = '0';
      r.running.style.width = pct(elapsed);
      r.running.firstChild.style.left = '0';
      r.running.firstChild.style.width = '100%';
    }
  }
  compare(state, elapsed);
}

/** Wall time against the sum of all latencies: what the same sources would cost one after another. */
function compare(state, wall) {
  let sum = 0;
  for (const res of state.results.values()) sum += res.latencyMs || 0;
  const top = Math.max(sum, wall, 1);
  $('wall-bar').style.width = (wall / top) * 100 + '%';
  $('sum-bar').style.width = (sum / top) * 100 + '%';
  $('wall-value').textContent = ms(wall);
  $('sum-value').textContent = ms(sum);
  if (state.summary && wall > 0 && sum > 0) {
    $('speedup').textContent = `${(sum / wall).toFixed(1)}× faster than one after another`;
  } else {
    $('speedup').textContent = state.summary ? 'no latency to compare' : '';
  }
}

/** The status the JSON answer of this run would have had (a stream always answers 200). */
function aggregateStatus(state) {
  const required = [...state.results.values()].filter((r) => !state.optional.has(r.id));
  const ok = required.filter((r) => r.status === 'ok').length;
  const failed = required.filter((r) => r.status !== 'ok');
  const when = state.complete && state.complete.when;
  const met = when === 'first' ? ok >= 1 : when === 'any' ? ok >= (state.complete.count || 1) : failed.length === 0;
  if (met) return 200;
  return failed.length && failed.every((r) => r.error && r.error.kind === 'timeout') ? 504 : 502;
}

function summary(state, s) {
  state.summary = s;
  const status = aggregateStatus(state);
  $('status').textContent = `Aggregate status ${status} ${status === 200 ? 'OK' : status === 504 ? 'Gateway Timeout' : 'Bad Gateway'}: `
    + `${s.ok} ok, ${s.failed} failed, ${s.complete ? 'complete' : 'not complete'}, in ${ms(s.durationMs)}`;
  $('status').dataset.status = status;
  for (const r of state.rows.values()) {
    if (r.running.isConnected) r.running.remove();
  }
  draw(state);
  document.body.dataset.state = 'done';
}

// ---------- HAR ----------

async function downloadHar() {
  if (!current) return;
  const req = current.req;
  say('Running the definition again for its HAR…');
  try {
    const res = await fetch(req.url, {
      method: req.method, body: req.body,
      headers: headers(req.body ? { 'Content-Type': 'application/json', Accept: 'application/har+json' }
        : { Accept: 'application/har+json' }),
    });
    if (!res.ok) {
      say('No HAR: ' + await problemText(res), true);
      return;
    }
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const a = el('a');
    a.href = url;
    a.download = `fanin-${new Date().toISOString().replace(/[:.]/g, '-')}.har`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    say('HAR saved (' + blob.size + ' bytes).');
  } catch (e) {
    say('No HAR: ' + e.message, true);
  }
}

// ---------- named and scheduled feeds ----------

async function loadFeeds() {
  let res;
  try {
    res = await fetch('/v1/feeds', { headers: headers({ Accept: 'application/json' }) });
  } catch (e) {
    say('Could not list the feeds: ' + e.message, true);
    return;
  }
  const select = $('feed');
  select.textContent = '';
  if (!res.ok) {
    select.append(el('option', '', '(no feeds: ' + res.status + ')'));
    select.firstChild.value = '';
    if (res.status === 401) say('fanin asks for an API key: enter one above.');
    return;
  }
  feeds = (await res.json()).feeds || [];
  select.append(el('option', '', feeds.length ? '(pick a feed)' : '(no feeds)'));
  select.firstChild.value = '';
  for (const f of feeds) {
    const o = el('option', '', f.name + (f.schedule ? ' (scheduled)' : ''));
    o.value = f.name;
    select.append(o);
  }
  follow(feeds.filter((f) => f.schedule).slice(0, MAX_FOLLOWED).map((f) => f.name));
}

async function pickFeed() {
  const name = $('feed').value;
  const box = $('feed-params');
  box.textContent = '';
  if (!name) return;
  const res = await fetch(`/v1/feeds/${encodeURIComponent(name)}`, { headers: headers({ Accept: 'application/json' }) });
  if (!res.ok) {
    say('Could not read the feed: ' + await problemText(res), true);
    return;
  }
  const feed = await res.json();
  const known = feeds.find((f) => f.name === name);
  if (known) known.definition = feed.definition;
  const params = (feed.definition && feed.definition.params) || {};
  for (const [param, spec] of Object.entries(params)) {
    const field = el('div', 'field');
    const id = 'param-' + param;
    const label = el('label', '', param + (spec.default === undefined ? ' (required)' : '')
      + (spec.pattern ? ' — matches ' + spec.pattern : ''));
    label.htmlFor = id;
    const input = el('input');
    input.type = 'text';
    input.id = id;
    input.dataset.param = param;
    input.value = spec.default === undefined ? '' : spec.default;
    field.append(label, input);
    box.append(field);
  }
}

/** Follows /v1/feeds/{name}/events of these feeds (and stops following any other). */
function follow(names) {
  for (const [name, c] of followers) {
    if (!names.includes(name)) {
      c.abort();
      followers.delete(name);
    }
  }
  const list = $('scheduled');
  list.textContent = '';
  if (!names.length) list.append(el('li', 'muted', 'No scheduled feeds.'));
  for (const name of names) {
    const li = el('li');
    li.dataset.feed = name;
    li.append(el('strong', '', name), document.createTextNode(': '), el('span', 'latest', 'no run yet'));
    list.append(li);
    if (followers.has(name)) followers.get(name).abort();
    const c = new AbortController();
    followers.set(name, c);
    followFeed(name, li, c);
  }
}

async function followFeed(name, li, controller) {
  let lastId = null;
  while (!controller.signal.aborted) {
    try {
      const h = headers({ Accept: 'text/event-stream' });
      if (lastId) h['Last-Event-ID'] = lastId;
      const res = await fetch(`/v1/feeds/${encodeURIComponent(name)}/events`, { headers: h, signal: controller.signal });
      if (!res.ok) {
        li.querySelector('.latest').textContent = 'not followed: ' + await problemText(res);
        if (res.status !== 503) return;
      } else {
        let over = false;
        await readEvents(res, (event, data, id) => {
          if (id) lastId = id;
          const json = JSON.parse(data);
          if (event === 'run') {
            const results = Object.values(json.results || {});
            const ok = results.filter((r) => r.status === 'ok').length;
            li.querySelector('.latest').textContent = `latest run ${new Date(json.runAt).toLocaleString()}: `
              + `${ok} ok, ${results.length - ok} failed` + (json.complete ? '' : ' (not complete)');
          } else if (event === 'deleted' || event === 'unscheduled') {
            li.querySelector('.latest').textContent = event;
            over = true;
          }
        });
        if (over) return;
      }
    } catch (e) {
      if (controller.signal.aborted) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 10000));
  }
}

// ---------- start ----------

function base64url(text) {
  const b = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(b, (c) => c.charCodeAt(0)));
}

function start() {
  const key = $('api-key');
  key.value = sessionStorage.getItem(KEY_STORE) || '';
  key.addEventListener('change', () => {
    sessionStorage.setItem(KEY_STORE, key.value.trim());
    loadFeeds();
  });
  $('definition').value = JSON.stringify(EXAMPLE, null, 2);
  const toggle = () => {
    $('definition-box').hidden = mode() !== 'definition';
    $('feed-box').hidden = mode() !== 'feed';
  };
  $('mode-definition').addEventListener('change', toggle);
  $('mode-feed').addEventListener('change', toggle);
  $('feed').addEventListener('change', pickFeed);
  $('run').addEventListener('click', run);
  $('har').addEventListener('click', downloadHar);
  window.addEventListener('pagehide', () => {
    for (const c of followers.values()) c.abort();
  });
  loadFeeds();
  // /?run=<base64url of a definition> fills in the definition and runs it
  const given = new URLSearchParams(location.search).get('run');
  if (given) {
    try {
      $('definition').value = JSON.stringify(JSON.parse(base64url(given)), null, 2);
      run();
    } catch (e) {
      say('The definition in ?run= is not base64url JSON: ' + e.message, true);
    }
  }
  document.body.dataset.state = document.body.dataset.state || 'idle';
}

start();
