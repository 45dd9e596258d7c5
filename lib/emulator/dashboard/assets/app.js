/*
 * The emulator dashboard (plain browser JavaScript, served by the emulator; no framework, no CDN).
 * One event stream (`events`) brings the requests served and, when something changed, the
 * summary and the fault rules; tables are fetched again only when the state changed and only for
 * the panel in view. Every value is written with textContent, never parsed as HTML.
 */
/* global document, window, EventSource, fetch, FileReader, URLSearchParams, setTimeout, clearTimeout, setInterval */
'use strict';

/** Request-log rows kept in the page: older ones are dropped as new ones arrive. */
const MAX_LOG_ROWS = 300;
/** Item rows drawn at most per table (the search narrows the rest). */
const MAX_ITEM_ROWS = 500;

const $ = (id) => document.getElementById(id);
const state = {
  panel: 'resources',
  types: [],
  counts: {},
  type: 'infrastructure/Server',
  items: [],
  changes: -1,
  seenChanges: { resources: -2, jobs: -2 },
  log: [],
  lastSeq: 0,
  logDrawn: -1,
  summaryText: '',
  selectedSeq: undefined,
  faults: [],
  editing: undefined,
  summary: undefined,
  stateFile: false,
};

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

async function call(path, init = {}) {
  const res = await fetch(path, { cache: 'no-store', ...init });
  const text = await res.text();
  let body;
  try { body = text ? JSON.parse(text) : undefined; } catch { body = text; }
  if (!res.ok) throw new Error((body && body.error && body.error.message) || `${res.status} ${res.statusText}`);
  return body;
}

/* ---------- panels (tabs) ---------- */

const TABS = ['resources', 'jobs', 'requests', 'faults', 'state'];

function show(panel, focus) {
  state.panel = panel;
  for (const name of TABS) {
    const tab = $(`tab-${name}`);
    const on = name === panel;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    $(name).hidden = !on;
    if (on && focus) tab.focus();
  }
  if (window.location.hash !== `#${panel}`) window.history.replaceState(null, '', `#${panel}`);
  refreshPanel();
}

for (const name of TABS) {
  const tab = $(`tab-${name}`);
  tab.addEventListener('click', () => show(name, false));
  tab.addEventListener('keydown', (e) => {
    const i = TABS.indexOf(name);
    if (e.key === 'ArrowRight') show(TABS[(i + 1) % TABS.length], true);
    else if (e.key === 'ArrowLeft') show(TABS[(i + TABS.length - 1) % TABS.length], true);
    else if (e.key === 'Home') show(TABS[0], true);
    else if (e.key === 'End') show(TABS[TABS.length - 1], true);
    else return;
    e.preventDefault();
  });
}

/** Enter or Space on a focusable row acts as a click. */
function activatable(row, action) {
  row.tabIndex = 0;
  row.addEventListener('click', action);
  row.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      action();
    }
  });
}

function refreshPanel() {
  if (state.panel === 'state' && state.summary) drawSummary(state.summary);
  if (state.panel === 'requests' && state.logDrawn !== state.lastSeq) drawLog();
  if (state.panel === 'resources' && state.seenChanges.resources !== state.changes) throttled('resources', loadItems);
  if (state.panel === 'jobs' && state.seenChanges.jobs !== state.changes) throttled('jobs', loadJobs);
}

/** Minimum milliseconds between two fetches of one panel's table (a busy emulator changes often). */
const REFETCH_MS = 1000;
const fetching = {};

/** Runs `load` now, or once the fetch in flight is done and REFETCH_MS have passed; never two at once. */
function throttled(name, load) {
  const f = (fetching[name] ??= { busy: false, again: false, last: 0 });
  if (f.busy) {
    f.again = true;
    return;
  }
  f.busy = true;
  const wait = Math.max(0, f.last + REFETCH_MS - Date.now());
  setTimeout(async () => {
    try {
      await load();
    } finally {
      f.last = Date.now();
      f.busy = false;
      if (f.again) {
        f.again = false;
        refreshPanel();
      }
    }
  }, wait);
}

/* ---------- resources ---------- */

function drawTypes() {
  const list = $('type-list');
  list.replaceChildren();
  for (const t of state.types) {
    const button = el('button');
    button.type = 'button';
    button.dataset.type = t.path;
    button.title = t.path;
    button.setAttribute('aria-pressed', String(t.path === state.type));
    button.append(el('span', t.path, 'name'), el('span', state.counts[t.path] ?? t.count, 'count'));
    button.addEventListener('click', () => {
      state.type = t.path;
      state.seenChanges.resources = -2;
      $('item-search').value = '';
      $('item-json').textContent = 'Select a row to see its full JSON.';
      drawTypes();
      void loadItems();
    });
    const li = el('li');
    li.append(button);
    list.append(li);
  }
}

function updateCounts(counts) {
  state.counts = counts;
  for (const button of $('type-list').querySelectorAll('button')) {
    const count = counts[button.dataset.type];
    if (count !== undefined) button.querySelector('.count').textContent = String(count);
  }
}

async function loadItems() {
  const seen = state.changes;
  const type = state.type;
  try {
    const items = await call(`../items/${type}`);
    if (type !== state.type) return;
    state.items = items;
    state.seenChanges.resources = seen;
    drawItems();
  } catch (e) {
    $('items-note').textContent = `Could not load ${type}: ${e.message}`;
  }
}

function columnsOf(type, items) {
  const def = state.types.find((t) => t.path === type);
  const cols = def ? [def.idKey] : [];
  for (const c of ['name', 'status', 'currentState', 'description', 'providerId', 'createdTimestamp']) {
    if (cols.length >= 5) break;
    if (items.some((i) => i[c] !== undefined && typeof i[c] !== 'object')) cols.push(c);
  }
  return cols;
}

function drawItems() {
  const type = state.type;
  const query = $('item-search').value.trim().toLowerCase();
  const matching = query ? state.items.filter((i) => JSON.stringify(i).toLowerCase().includes(query)) : state.items;
  const cols = columnsOf(type, state.items);
  $('items-title').textContent = type;
  const head = el('tr');
  for (const c of cols) {
    const th = el('th', c);
    th.scope = 'col';
    head.append(th);
  }
  $('items-table').tHead.replaceChildren(head);
  const body = document.createDocumentFragment();
  for (const item of matching.slice(0, MAX_ITEM_ROWS)) {
    const tr = el('tr');
    for (const c of cols) tr.append(el('td', item[c] === undefined ? '' : item[c], c === 'description' ? 'wrap' : undefined));
    activatable(tr, () => {
      for (const r of $('items-table').tBodies[0].rows) r.classList.remove('selected');
      tr.classList.add('selected');
      $('item-json').textContent = JSON.stringify(item, null, 2);
    });
    body.append(tr);
  }
  $('items-table').tBodies[0].replaceChildren(body);
  const total = state.items.length;
  $('items-note').textContent = query
    ? `${matching.length} of ${total} match${matching.length > MAX_ITEM_ROWS ? `; the first ${MAX_ITEM_ROWS} shown` : ''}`
    : `${total} item${total === 1 ? '' : 's'}${total > MAX_ITEM_ROWS ? `; the first ${MAX_ITEM_ROWS} shown, search to narrow` : ''}`;
}

let searchTimer;
$('item-search').addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(drawItems, 120);
});

/* ---------- jobs ---------- */

async function loadJobs() {
  const seen = state.changes;
  try {
    const jobs = await call('jobs');
    state.seenChanges.jobs = seen;
    const rows = document.createDocumentFragment();
    const now = Date.now();
    for (const job of jobs) {
      const tr = el('tr');
      const progress = el('td');
      if (job.status === 'RUNNING') {
        const bar = el('progress');
        bar.max = 100;
        const started = Date.parse(job.startDate);
        if (job.due !== undefined && Number.isFinite(started) && job.due > started) {
          bar.dataset.start = String(started);
          bar.dataset.due = String(job.due);
          bar.value = progressOf(started, job.due, now);
        } else bar.removeAttribute('value');
        bar.setAttribute('aria-label', `job ${job.jobId} progress`);
        progress.append(bar);
      } else progress.textContent = job.status === 'COMPLETE' ? 'done' : '—';
      tr.append(el('td', job.jobId, 'num'), el('td', job.status, job.status), progress, el('td', job.description, 'wrap'), el('td', job.startDate ?? ''), el('td', job.endDate ?? ''), el('td', job.message ?? '', 'wrap'));
      rows.append(tr);
    }
    $('jobs-table').tBodies[0].replaceChildren(rows);
  } catch (e) {
    $('jobs-summary').textContent = `Could not load the jobs: ${e.message}`;
  }
}

function progressOf(started, due, now) {
  return Math.max(0, Math.min(99, Math.round(((now - started) / (due - started)) * 100)));
}

// Progress bars move with the time while the panel is in view; the jobs themselves move on the
// emulator's clock, which the feed reports as changes.
setInterval(() => {
  if (state.panel !== 'jobs') return;
  const now = Date.now();
  for (const bar of $('jobs-table').querySelectorAll('progress[data-due]')) bar.value = progressOf(Number(bar.dataset.start), Number(bar.dataset.due), now);
}, 1000);

function drawJobSummary(summary) {
  const parts = Object.entries(summary.jobs).map(([status, n]) => `${n} ${status}`);
  $('jobs-summary').textContent = parts.length ? `${parts.join(', ')}; newest first (the last 200)` : 'No jobs yet.';
}

/* ---------- requests ---------- */

function matchesFilter(entry) {
  const status = $('status-filter').value;
  if (status !== '' && String(entry.status)[0] !== status) return false;
  const path = $('path-filter').value.trim().toLowerCase();
  if (path && !`${entry.path}${queryText(entry)}`.toLowerCase().includes(path)) return false;
  return true;
}

function queryText(entry) {
  const q = new URLSearchParams(entry.query || {}).toString();
  return q ? `?${q}` : '';
}

function logRow(entry) {
  const tr = el('tr');
  tr.dataset.seq = String(entry.seq);
  const time = entry.time.slice(11, 23);
  tr.append(
    el('td', time), el('td', entry.accessKey ?? '—'), el('td', entry.method), el('td', `${entry.path}${queryText(entry)}`, 'wrap'),
    el('td', entry.status === 0 ? 'reset' : entry.status, `num s${String(entry.status)[0]}`), el('td', entry.durationMs.toFixed(1), 'num'),
    el('td', entry.signature ?? '—', entry.signature), el('td', (entry.faults || []).join(', ') || '—', entry.faults ? 's5' : undefined),
  );
  tr.cells[3].title = tr.cells[3].textContent;
  tr.cells[7].title = tr.cells[7].textContent;
  if (entry.seq === state.selectedSeq) tr.classList.add('selected');
  activatable(tr, () => void details(entry.seq));
  return tr;
}

function addLog(all) {
  // A reconnected stream starts again with the newest entries: keep each request once.
  const entries = all.filter((e) => e.seq > state.lastSeq);
  if (entries.length === 0) return;
  state.lastSeq = entries[entries.length - 1].seq;
  state.log.push(...entries);
  if (state.log.length > MAX_LOG_ROWS) state.log.splice(0, state.log.length - MAX_LOG_ROWS);
  // Rows are drawn only while the panel is in view; showing it draws them from the kept entries.
  if (state.panel !== 'requests') return;
  const body = $('log-table').tBodies[0];
  const fresh = document.createDocumentFragment();
  const shown = entries.filter(matchesFilter).slice(-MAX_LOG_ROWS).reverse();
  for (const e of shown) fresh.append(logRow(e));
  body.prepend(fresh);
  while (body.rows.length > MAX_LOG_ROWS) body.deleteRow(-1);
  state.logDrawn = state.lastSeq;
  noteLog();
}

function drawLog() {
  state.logDrawn = state.lastSeq;
  const rows = document.createDocumentFragment();
  for (const e of state.log.filter(matchesFilter).reverse()) rows.append(logRow(e));
  $('log-table').tBodies[0].replaceChildren(rows);
  noteLog();
}

function noteLog() {
  if (state.panel !== 'requests') return;
  const shown = $('log-table').tBodies[0].rows.length;
  const total = state.summary ? state.summary.logEntries : state.log.length;
  $('requests-note').textContent = `${shown} shown of the last ${state.log.length} kept here (the emulator's log holds ${total}); newest first. Select a row for its bodies.`;
}

async function details(seq) {
  state.selectedSeq = seq;
  for (const r of $('log-table').tBodies[0].rows) r.classList.toggle('selected', r.dataset.seq === String(seq));
  const box = $('request-details');
  box.hidden = false;
  try {
    const d = await call(`requests/${seq}`);
    const e = d.entry;
    $('details-title').textContent = `#${e.seq} ${e.method} ${e.path}${queryText(e)} → ${e.status === 0 ? 'reset' : e.status}${d.cut ? ' (bodies cut at 64 KB)' : ''}`;
    $('details-request').textContent = d.request || '(no body)';
    $('details-response').textContent = d.response || '(no body)';
  } catch (err) {
    $('details-title').textContent = `Request #${seq}`;
    $('details-request').textContent = err.message;
    $('details-response').textContent = '';
  }
}

$('status-filter').addEventListener('change', drawLog);
let pathTimer;
$('path-filter').addEventListener('input', () => {
  clearTimeout(pathTimer);
  pathTimer = setTimeout(drawLog, 120);
});
$('clear-log').addEventListener('click', async () => {
  await call('../log', { method: 'DELETE' });
  state.log = [];
  drawLog();
});

/* ---------- faults ---------- */

function drawFaults(faults) {
  state.faults = faults;
  const rows = document.createDocumentFragment();
  faults.forEach((f, i) => {
    const tr = el('tr');
    const text = el('td', null, 'wrap');
    text.append(el('code', f.text));
    const actions = el('td');
    const edit = el('button', 'Edit');
    edit.type = 'button';
    edit.setAttribute('aria-label', `Edit rule ${i + 1}`);
    edit.addEventListener('click', () => startEdit(i));
    const remove = el('button', 'Remove');
    remove.type = 'button';
    remove.setAttribute('aria-label', `Remove rule ${i + 1}`);
    remove.addEventListener('click', () => void changeFault('DELETE', `faults/${i}`));
    actions.append(edit, ' ', remove);
    tr.append(el('td', i + 1, 'num'), text, actions);
    rows.append(tr);
  });
  $('fault-table').tBodies[0].replaceChildren(rows);
  $('fault-table').parentElement.hidden = faults.length === 0;
  $('faults-empty').hidden = faults.length > 0;
}

function startEdit(i) {
  state.editing = i;
  $('fault-input').value = state.faults[i].text;
  $('fault-submit').textContent = `Save rule ${i + 1}`;
  $('fault-cancel').hidden = false;
  $('fault-input').focus();
}

function stopEdit() {
  state.editing = undefined;
  $('fault-input').value = '';
  $('fault-submit').textContent = 'Add rule';
  $('fault-cancel').hidden = true;
}

async function changeFault(method, path, rule) {
  $('fault-error').textContent = '';
  try {
    const init = { method };
    if (rule !== undefined) {
      init.headers = { 'content-type': 'application/json' };
      init.body = JSON.stringify({ rule });
      // Checked first, so that a mistyped rule is shown without a failed request.
      const check = await call('faults/check', { ...init, method: 'POST' });
      if (!check.ok) {
        $('fault-error').textContent = check.problem;
        return false;
      }
    }
    const answer = await call(path, init);
    drawFaults(answer.faults);
    return true;
  } catch (e) {
    $('fault-error').textContent = e.message;
    return false;
  }
}

$('fault-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const rule = $('fault-input').value;
  const ok = state.editing === undefined ? await changeFault('POST', 'faults', rule) : await changeFault('PUT', `faults/${state.editing}`, rule);
  if (ok) stopEdit();
});
$('fault-cancel').addEventListener('click', stopEdit);

/* ---------- state ---------- */

function drawSummary(summary) {
  state.summary = summary;
  const rows = [
    ['Seed', summary.seed], ['API version', summary.apiVersion], ['Stored objects', Object.values(summary.counts).reduce((a, b) => a + b, 0)],
    ['Jobs', Object.entries(summary.jobs).map(([s, n]) => `${n} ${s}`).join(', ') || 'none'], ['Pending job steps', summary.pendingEvents],
    ['Request-log entries', summary.logEntries], ['Fault rules', summary.faultRules],
  ];
  const dl = document.createDocumentFragment();
  for (const [k, v] of rows) dl.append(el('dt', k), el('dd', v));
  $('state-summary').replaceChildren(dl);
}

function drawStateFile(has) {
  state.stateFile = has;
  $('save').disabled = !has;
  $('save-note').textContent = has ? 'Every change is saved to the state file as it happens; Save writes it once more now.' : 'Started without --state FILE: there is no state file to save to. Download keeps a copy.';
}

function stateMessage(message, error) {
  $('state-message').textContent = error ? '' : message;
  $('state-error').textContent = error ? message : '';
}

$('reset').addEventListener('click', async () => {
  try {
    await call('../reset', { method: 'POST' });
    state.log = [];
    drawLog();
    stateMessage('Reset to the seed data, the initial fault rules and an empty log.');
  } catch (e) {
    stateMessage(e.message, true);
  }
});
$('save').addEventListener('click', async () => {
  try {
    const answer = await call('state/save', { method: 'POST' });
    stateMessage(`Saved to ${answer.file}.`);
  } catch (e) {
    stateMessage(e.message, true);
  }
});
$('upload-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const file = $('upload-file').files[0];
  if (!file) return;
  const reader = new FileReader();
  reader.onload = async () => {
    try {
      const init = { headers: { 'content-type': 'application/json' }, body: String(reader.result) };
      const check = await call('state/check', { ...init, method: 'POST' });
      if (!check.ok) {
        stateMessage(check.problem, true);
        return;
      }
      await call('state/file', { ...init, method: 'PUT' });
      stateMessage(`Loaded ${file.name}: the state was replaced.`);
    } catch (err) {
      stateMessage(err.message, true);
    }
  };
  reader.onerror = () => stateMessage(`Could not read ${file.name}.`, true);
  reader.readAsText(file);
});

/* ---------- live feed ---------- */

function onUpdate(update) {
  // The summary changes with every request (the log's size); redraw only what it shows otherwise.
  const summaryText = update.summary ? JSON.stringify({ ...update.summary, logEntries: 0 }) : state.summaryText;
  if (update.summary && summaryText === state.summaryText) {
    if (state.panel === 'state') drawSummary(update.summary);
    else state.summary = update.summary;
  } else if (update.summary) {
    state.summaryText = summaryText;
    updateCounts(update.summary.counts);
    drawSummary(update.summary);
    drawJobSummary(update.summary);
  }
  if (update.summary && update.summary.logEntries === 0 && state.log.length > 0) {
    state.log = [];
    drawLog();
  }
  if (update.faults) drawFaults(update.faults);
  if (update.stateFile !== undefined) drawStateFile(update.stateFile);
  addLog(update.entries);
  if (update.changes !== state.changes) {
    state.changes = update.changes;
    refreshPanel();
  }
}

function connect() {
  const source = new EventSource('events');
  source.addEventListener('open', () => {
    $('conn').textContent = 'live';
    $('conn').className = 'conn live';
  });
  source.addEventListener('update', (e) => onUpdate(JSON.parse(e.data)));
  source.addEventListener('error', () => {
    $('conn').textContent = source.readyState === EventSource.CLOSED ? 'disconnected: reload to retry' : 'reconnecting…';
    $('conn').className = 'conn down';
  });
}

async function start() {
  try {
    state.types = await call('types');
  } catch (e) {
    $('items-note').textContent = `Could not load the resource types: ${e.message}`;
  }
  drawTypes();
  state.log = [];
  const first = window.location.hash.slice(1);
  show(TABS.includes(first) ? first : 'resources', false);
  connect();
}

void start();
