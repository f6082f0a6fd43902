'use strict';
// The workbench page: article list, article view (text, labels, value
// editor), adjudication view, keyboard, undo, saving. Labels are never
// mutated in place (every edit makes new objects), so an undo step is a
// cheap copy of two arrays.

const TOKEN = new URLSearchParams(location.search).get('token') || '';
const $ = (id) => document.getElementById(id);
const FIELD_KEYS = { d: 'date', o: 'official', f: 'figure', p: 'percentage' };
const PREFIX = { date: 'd', official: 'o', figure: 'f', percentage: 'p' };

const S = {
  session: null,
  list: [],
  listIndex: 0,
  view: 'list', // list | article | passes
  art: null, // {id, text, hash, editable, cps}
  doc: null, // {ignore: [{k, start, end, reason}], mentions: [...]}
  done: false,
  undo: [],
  redo: [],
  coalesce: null,
  cur: null, // 'm:ID' or 'i:K'
  pending: null, // {start, end}: selected, not labelled yet
  problems: [], // the whole article's, from the server
  curProblems: null, // {key, problems}: the current mention's, as typed
  dirty: false,
  nextK: 1,
  adj: null,
  views: {},
};
const metrics = { open: [], edits: [], work: [] };
window.__annotate = { S, metrics };

async function api(method, path, body) {
  const r = await fetch('/api/' + path, {
    method,
    headers: { 'X-Annotate-Token': TOKEN, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = {};
  try { data = await r.json(); } catch (e) { data = { error: `HTTP ${r.status}` }; }
  return { status: r.status, ok: r.ok, data };
}

// ---------------------------------------------------------------- banner

let bannerTimer = null;
function banner(kind, text, buttons, fade) {
  const b = $('banner');
  clearTimeout(bannerTimer);
  b.className = 'banner ' + kind;
  b.replaceChildren(el('span', {}, text), ...(buttons || []).map(([label, fn]) =>
    el('button', { onclick: () => { b.hidden = true; fn(); } }, label)));
  b.hidden = false;
  if (fade) bannerTimer = setTimeout(() => { b.hidden = true; }, 2500);
}

// ---------------------------------------------------------------- list

async function showList() {
  saveDraft();
  S.view = 'list';
  $('list-view').hidden = false;
  $('article-view').hidden = true;
  $('view-toggle').hidden = true;
  $('title').textContent = S.session.mode === 'adjudicate'
    ? `adjudicating ${short(S.session.a)} × ${short(S.session.b)} → ${short(S.session.gold)}` : short(S.session.gold);
  const r = await api('GET', 'articles');
  if (!r.ok) return banner('error', r.data.error);
  S.list = r.data.articles;
  drawList();
  if (S.session.agreement) drawAgreement($('list-agreement'), S.session.agreement, 'all articles');
  updateHeader();
}

function drawList() {
  const adj = S.session.mode === 'adjudicate';
  const head = ['article', 'status', 'chars', 'date', 'official', 'figure', 'percentage', 'ignore', 'unreviewed', 'problems']
    .concat(adj ? ['disagreements'] : []);
  const rows = S.list.map((a, i) => {
    const tr = el('tr', { class: i === S.listIndex ? 'sel' : '', 'data-id': a.id, onclick: () => openArticle(a.id) },
      el('td', { class: 'id' }, a.id),
      el('td', {}, el('span', { class: 'st st-' + a.status.replace(' ', '-') }, a.status)),
      el('td', { class: 'n' }, String(a.chars)),
      ...['date', 'official', 'figure', 'percentage'].map((f) => el('td', { class: 'n' }, String(a.counts[f] || 0))),
      el('td', { class: 'n' }, String(a.ignore)),
      el('td', { class: 'n' + (a.unreviewed ? ' warn' : '') }, String(a.unreviewed)),
      el('td', { class: 'n' + (a.errors ? ' bad' : '') }, String(a.errors)),
      ...(adj ? [el('td', { class: 'n' }, String(a.disagreements ?? ''))] : []));
    return tr;
  });
  $('articles').replaceChildren(el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, h)))), el('tbody', {}, ...rows));
  const sel = $('articles').querySelector('tr.sel');
  if (sel) sel.scrollIntoView({ block: 'nearest' });
}

function listKeys(ev) {
  const k = ev.key;
  if (k === 'j' || k === 'ArrowDown') S.listIndex = Math.min(S.list.length - 1, S.listIndex + 1);
  else if (k === 'k' || k === 'ArrowUp') S.listIndex = Math.max(0, S.listIndex - 1);
  else if (k === 'Enter' && S.list[S.listIndex]) return openArticle(S.list[S.listIndex].id);
  else if (k === '?') return toggleHelp();
  else return;
  ev.preventDefault();
  drawList();
}

function num(x) {
  return x === null || x === undefined ? '—' : x.toFixed(3);
}

function drawAgreement(box, ag, what) {
  const fields = ['date', 'official', 'figure', 'percentage'];
  const row = (name, f) => el('tr', {}, el('td', {}, name), el('td', { class: 'n' }, String(f.a)), el('td', { class: 'n' }, String(f.b)),
    el('td', { class: 'n' }, num(f.exact_span.f1)), el('td', { class: 'n' }, num(f.overlap_span.f1)),
    el('td', { class: 'n' }, num(f.span_value.f1)), el('td', { class: 'n' }, num(f.value_accuracy)));
  box.replaceChildren(el('div', { class: 'agree-head' }, `Agreement, ${what}: Cohen's kappa ${num(ag.kappa)} on ${ag.tokens} tokens, ${ag.disagreements.length} disagreement(s)`),
    el('table', { class: 'agree' },
      el('thead', {}, el('tr', {}, ...['field', 'A', 'B', 'exact span F1', 'overlap F1', 'span + value F1', 'value acc.'].map((h) => el('th', {}, h)))),
      el('tbody', {}, ...fields.map((f) => row(f, ag.fields[f])), row('all', ag.overall))));
}

// ---------------------------------------------------------------- article

function withKeys(doc) {
  return {
    ignore: doc.ignore.map((i) => ({ ...i, k: S.nextK++ })),
    mentions: doc.mentions.map((m) => ({ ...m })),
  };
}

function stripped() {
  return {
    ignore: S.doc.ignore.map(({ start, end, reason }) => (reason ? { start, end, reason } : { start, end })),
    mentions: S.doc.mentions.map(({ id, field, start, end, text, value, pre }) =>
      (pre ? { id, field, start, end, text, value, pre } : { id, field, start, end, text, value })),
  };
}

function draftKey(id) {
  return `annotate|${S.session.gold}|${id}`;
}

async function openArticle(id) {
  const t0 = performance.now();
  saveDraft();
  const r = await api('GET', 'articles/' + encodeURIComponent(id));
  if (!r.ok) return banner('error', r.data.error);
  const a = r.data;
  $('banner').hidden = true;
  S.art = { id, text: a.text, hash: a.hash, editable: a.editable, cps: new CodePoints(a.text) };
  S.doc = withKeys(a.doc);
  S.done = a.marked_done;
  Object.assign(S, { undo: [], redo: [], coalesce: null, cur: null, pending: null, problems: a.problems, curProblems: null, dirty: false });
  S.listIndex = Math.max(0, S.list.findIndex((x) => x.id === id));
  S.adj = a.adjudication ? { ...a.adjudication, idx: 0, resolved: {} } : null;
  S.view = S.adj && S.adj.choices.length ? 'passes' : 'article';
  $('list-view').hidden = true;
  $('article-view').hidden = false;
  $('title').textContent = id;
  S.views.text = new TextView($('text'), S.art.cps, (k) => pick(k));
  S.views.text.items = items();
  S.views.text.redrawAll();
  if (S.adj) setupPasses();
  layout();
  refresh();
  if (!a.editable) banner('error', 'This gold file has problems the workbench cannot show as labels; fix them by hand (harness gold check), then reload.');
  const restored = offerDraft();
  if (!restored && S.session.plugin && S.session.mode === 'annotate' && a.editable && !S.doc.mentions.length) preannotate();
  requestAnimationFrame(() => setTimeout(() => {
    metrics.open.push({ id, chars: S.art.cps.length, mentions: S.doc.mentions.length, ms: performance.now() - t0 });
  }, 0));
  $('text').focus({ preventScroll: true });
}

function items() {
  const bad = new Set(), badIg = new Set();
  for (const p of S.problems) {
    if (p.severity !== 'error') continue;
    if (p.mention) bad.add(p.mention);
    if (p.ignore) badIg.add(p.ignore.start + ':' + p.ignore.end);
  }
  const out = new Map();
  for (const ig of S.doc.ignore) {
    out.set('i:' + ig.k, { start: ig.start, end: ig.end, cls: 'ig' + (badIg.has(ig.start + ':' + ig.end) ? ' bad' : '') });
  }
  for (const m of S.doc.mentions) {
    out.set('m:' + m.id, {
      start: m.start, end: m.end,
      cls: 'm f-' + m.field + (m.pre && !m.pre.reviewed ? ' pre' : '') + (bad.has(m.id) ? ' bad' : ''),
    });
  }
  return out;
}

function mention(id) {
  return S.doc.mentions.find((m) => m.id === id);
}

// The current item: {kind: 'm'|'i', item}.
function current() {
  if (!S.cur) return null;
  const [kind, key] = [S.cur[0], S.cur.slice(2)];
  const item = kind === 'm' ? mention(key) : S.doc.ignore.find((i) => String(i.k) === key);
  return item ? { kind, item } : null;
}

function refresh() {
  const t = S.views.text;
  if (!t) return;
  t.sync(items());
  t.highlight(S.cur ? [S.cur] : []);
  drawSide();
  updateHeader();
  if (S.adj) drawChoice();
}

// A directory by its last two names: enough to tell passes apart.
function short(path) {
  return path.split('/').filter(Boolean).slice(-2).join('/');
}

function updateHeader() {
  for (const e of [$('save'), document.querySelector('.done-box')]) e.hidden = S.view === 'list';
  const save = $('save-state');
  if (S.view === 'list' || !S.art) { save.textContent = ''; return; }
  save.textContent = S.dirty ? 'unsaved changes' : (S.art.hash ? 'saved' : 'not saved yet');
  save.className = S.dirty ? 'dirty' : '';
  $('done').checked = S.done;
}

function setCur(key, reveal) {
  S.cur = key;
  S.curProblems = null;
  const c = current();
  if (c && reveal) S.views.text.reveal(c.item.start);
  refresh();
  if (c && c.kind === 'm') validateCur();
}

function pick(key) {
  S.pending = null;
  setCur(key);
}

// ---------------------------------------------------------------- edits

function snapshot() {
  return {
    doc: { ignore: S.doc.ignore.slice(), mentions: S.doc.mentions.slice() },
    done: S.done, cur: S.cur, resolved: S.adj ? S.adj.resolved : null,
  };
}

function restore(s) {
  S.doc = s.doc;
  S.done = s.done;
  S.cur = s.cur;
  if (S.adj) S.adj.resolved = s.resolved;
}

// Applies `fn` as one undoable step; steps with the same `coalesce` key in a
// row (typing in one input, pressing one arrow key) are one step.
function edit(fn, coalesce) {
  if (!S.art.editable) return false;
  const t0 = performance.now();
  const before = snapshot();
  fn();
  if (!(coalesce && S.coalesce === coalesce)) {
    S.undo.push(before);
    if (S.undo.length > 1000) S.undo.shift();
  }
  S.redo = [];
  S.coalesce = coalesce || null;
  changed(t0);
  return true;
}

function changed(t0) {
  S.dirty = true;
  S.doc.mentions.sort((a, b) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : 1));
  refresh();
  scheduleCheck();
  scheduleDraft();
  if (t0 !== undefined) {
    // The work of an edit: the update and the layout it forces (the same
    // work the next paint would do), and the time until that paint.
    void S.views.text.el.offsetHeight;
    metrics.work.push(performance.now() - t0);
    requestAnimationFrame(() => setTimeout(() => metrics.edits.push(performance.now() - t0), 0));
  }
}

function undo() {
  if (!S.undo.length) return;
  S.redo.push(snapshot());
  restore(S.undo.pop());
  S.coalesce = null;
  changed();
}

function redo() {
  if (!S.redo.length) return;
  S.undo.push(snapshot());
  restore(S.redo.pop());
  S.coalesce = null;
  changed();
}

function replaceMention(id, changes) {
  S.doc.mentions = S.doc.mentions.map((m) => (m.id === id ? { ...m, ...changes } : m));
}

function replaceIgnore(k, changes) {
  S.doc.ignore = S.doc.ignore.map((i) => (i.k === k ? { ...i, ...changes } : i));
}

// A correction of a pre-annotated mention is a review of it.
function reviewed(m) {
  return m.pre ? { ...m.pre, reviewed: true } : undefined;
}

function nextId(field) {
  const p = PREFIX[field];
  const taken = new Set(S.doc.mentions.map((m) => m.id));
  let n = 0;
  for (const id of taken) {
    const x = id.match(/^([a-z])(\d+)$/);
    if (x && x[1] === p) n = Math.max(n, +x[2]);
  }
  while (taken.has(p + (n + 1))) n++;
  return p + (n + 1);
}

function emptyValue(field, text) {
  if (field === 'date') return '';
  if (field === 'figure') return { amount: null, unit: '' };
  if (field === 'percentage') return { value: null };
  return { name: text.normalize('NFC').trim(), titles: [] };
}

function isSpace(ch) {
  return /^\s$/u.test(ch) || ch === '\u00a0';
}

// The selection (made with the mouse, by find, or by "u"), trimmed of spaces.
function selection() {
  const r = S.views.text.selection() || S.pending;
  if (!r) return null;
  let { start, end } = r;
  const cps = S.art.cps;
  while (start < end && isSpace(cps.at(start))) start++;
  while (end > start && isSpace(cps.at(end - 1))) end--;
  return start < end ? { start, end } : null;
}

function label(field) {
  const r = selection();
  if (!r) {
    const c = current();
    if (c && c.kind === 'm' && field !== 'ignore' && c.item.field !== field) return refield(c.item, field);
    return banner('info', 'Select some text first (mouse, / to find, u for the next unlabelled number).', [], true);
  }
  window.getSelection().removeAllRanges();
  S.pending = null;
  if (field === 'ignore') {
    const k = S.nextK++;
    edit(() => { S.doc.ignore = [...S.doc.ignore, { k, start: r.start, end: r.end, reason: null }]; }, 'create:i' + k);
    return setCur('i:' + k);
  }
  const text = S.art.cps.slice(r.start, r.end);
  const m = { id: nextId(field), field, start: r.start, end: r.end, text, value: emptyValue(field, text) };
  edit(() => { S.doc.mentions = [...S.doc.mentions, m]; }, 'create:' + m.id);
  setCur('m:' + m.id);
  guessInto(m);
}

function refield(m, field) {
  const n = { id: nextId(field), field, value: emptyValue(field, m.text), pre: reviewed(m) };
  edit(() => {
    S.doc.mentions = S.doc.mentions.map((x) => (x.id === m.id ? { ...x, ...n } : x));
  }, 'create:' + n.id);
  setCur('m:' + n.id);
  guessInto({ ...m, ...n });
}

// Prefills the value with the server's guess, unless the mention changed since.
async function guessInto(m) {
  const r = await api('POST', `articles/${encodeURIComponent(S.art.id)}/guess`, { field: m.field, start: m.start, end: m.end });
  const now = mention(m.id);
  if (!r.ok || r.data.value === null || !now || now.start !== m.start || now.end !== m.end ||
    JSON.stringify(now.value) !== JSON.stringify(m.value)) return;
  edit(() => replaceMention(m.id, { value: r.data.value }), 'create:' + m.id);
  if (S.cur === 'm:' + m.id) { drawCur(true); validateCur(); }
}

function removeCurrent() {
  const c = current();
  if (!c) return;
  const order = S.doc.mentions.map((m) => m.id);
  edit(() => {
    if (c.kind === 'm') S.doc.mentions = S.doc.mentions.filter((m) => m.id !== c.item.id);
    else S.doc.ignore = S.doc.ignore.filter((i) => i.k !== c.item.k);
  });
  if (c.kind === 'm') {
    const i = order.indexOf(c.item.id);
    const next = S.doc.mentions[Math.min(i, S.doc.mentions.length - 1)];
    setCur(next ? 'm:' + next.id : null, true);
  } else setCur(null);
}

function accept(all) {
  const c = current();
  const ids = all ? S.doc.mentions.filter((m) => m.pre && !m.pre.reviewed).map((m) => m.id)
    : (c && c.kind === 'm' && c.item.pre && !c.item.pre.reviewed ? [c.item.id] : []);
  if (!ids.length) return;
  const set = new Set(ids);
  edit(() => {
    S.doc.mentions = S.doc.mentions.map((m) => (set.has(m.id) ? { ...m, pre: { ...m.pre, reviewed: true } } : m));
  });
  if (!all) step(1, true);
}

function reject(all) {
  const c = current();
  if (all) {
    edit(() => { S.doc.mentions = S.doc.mentions.filter((m) => !(m.pre && !m.pre.reviewed)); });
    return setCur(null);
  }
  if (c && c.kind === 'm' && c.item.pre && !c.item.pre.reviewed) removeCurrent();
}

function needsLook(m) {
  return (m.pre && !m.pre.reviewed) || S.problems.some((p) => p.mention === m.id);
}

// Next (+1) or previous (-1) mention; only those needing a look with `attention`.
function step(dir, attention) {
  const ms = S.doc.mentions.filter((m) => !attention || needsLook(m));
  if (!ms.length) return;
  const c = current();
  const at = c ? c.item.start : (dir > 0 ? -1 : Infinity);
  const atId = c && c.kind === 'm' ? c.item.id : '';
  let next;
  if (dir > 0) next = ms.find((m) => m.start > at || (m.start === at && m.id > atId && c && c.kind === 'm')) || ms[0];
  else next = [...ms].reverse().find((m) => m.start < at || (m.start === at && m.id < atId && c && c.kind === 'm')) || ms[ms.length - 1];
  S.pending = null;
  setCur('m:' + next.id, true);
}

const WORD = /[\p{L}\p{N}\p{M}]/u;

function wordStep(pos, dir) {
  const cps = S.art.cps;
  const at = (i) => cps.at(i);
  if (dir > 0) {
    while (pos < cps.length && !WORD.test(at(pos))) pos++;
    while (pos < cps.length && WORD.test(at(pos))) pos++;
  } else {
    while (pos > 0 && !WORD.test(at(pos - 1))) pos--;
    while (pos > 0 && WORD.test(at(pos - 1))) pos--;
  }
  return pos;
}

// Moves the start or end of the selection or current span.
function adjust(which, dir, word) {
  const c = current();
  const target = S.pending || (c ? c.item : null);
  if (!target) return;
  let { start, end } = target;
  const len = S.art.cps.length;
  if (which === 'start') start = Math.max(0, Math.min(end - 1, word ? wordStep(start, dir) : start + dir));
  else end = Math.min(len, Math.max(start + 1, word ? wordStep(end, dir) : end + dir));
  if (S.pending) {
    S.pending = { start, end };
    S.views.text.select(start, end);
    drawSide();
    return;
  }
  if (c.kind === 'm') {
    const text = S.art.cps.slice(start, end);
    edit(() => replaceMention(c.item.id, { start, end, text, pre: reviewed(c.item) }), 'span:' + c.item.id);
    validateCur();
  } else {
    edit(() => replaceIgnore(c.item.k, { start, end }), 'span:i' + c.item.k);
  }
  S.views.text.reveal(which === 'start' ? start : end);
}

// Selects the next (or previous) number no mention or ignore region covers.
function nextNumber(dir) {
  const text = S.art.text, cps = S.art.cps;
  const found = [];
  for (const m of text.matchAll(/\d(?:[\d.,]*\d)?/g)) {
    const s = cps.toCp(m.index), e = cps.toCp(m.index + m[0].length);
    const covered = S.doc.mentions.some((x) => x.start < e && x.end > s) || S.doc.ignore.some((x) => x.start < e && x.end > s);
    if (!covered) found.push({ start: s, end: e });
  }
  if (!found.length) return banner('info', 'Every number is labelled or ignored.', [], true);
  const c = current();
  const from = S.pending ? S.pending.start : c ? c.item.start : -1;
  const hit = dir > 0 ? (found.find((f) => f.start > from) || found[0])
    : ([...found].reverse().find((f) => f.start < from) || found[found.length - 1]);
  selectRange(hit);
}

function selectRange(r) {
  S.pending = r;
  S.views.text.select(r.start, r.end);
  S.views.text.reveal(r.start);
  drawSide();
}

function addTitle() {
  const c = current();
  const r = selection();
  if (!c || c.kind !== 'm' || c.item.field !== 'official' || !r) {
    return banner('info', 'Select a title in the text while an official is current, then press t.', [], true);
  }
  const title = S.art.cps.slice(r.start, r.end).normalize('NFC');
  const v = c.item.value || { name: '', titles: [] };
  window.getSelection().removeAllRanges();
  S.pending = null;
  edit(() => replaceMention(c.item.id, { value: { ...v, titles: [...(v.titles || []), title] }, pre: reviewed(c.item) }));
  drawCur(true);
  validateCur();
}

// ---------------------------------------------------------------- side panel

const editor = new ValueEditor(document.createElement('div'), (value) => {
  const c = current();
  if (!c || c.kind !== 'm') return;
  S.typing = true;
  edit(() => replaceMention(c.item.id, { value, pre: reviewed(c.item) }), 'value:' + c.item.id);
  S.typing = false;
  validateCur();
}, () => {
  document.activeElement.blur();
  $('text').focus({ preventScroll: true });
});

function visible(text) {
  return text.replace(/\u00a0/g, '⍽').replace(/\r/g, '␍').replace(/\n/g, '↵').replace(/\t/g, '⇥');
}

let drawnFor = null;
function drawCur(force) {
  const box = $('cur');
  const c = current();
  const key = c ? S.cur : null;
  if (!force && key === drawnFor && (S.typing || editor.editing())) return drawCurProblems();
  drawnFor = key;
  if (!c) {
    box.replaceChildren(el('p', { class: 'hint' }, 'Click a label, or select text and press d (date), o (official), f (figure), p (percentage) or i (ignore). ? for every key.'));
    return;
  }
  const it = c.item;
  const head = el('div', { class: 'cur-head' },
    el('span', { class: 'badge ' + (c.kind === 'm' ? 'f-' + it.field : 'ig') }, c.kind === 'm' ? `${it.field} ${it.id}` : 'ignore'),
    el('span', { class: 'span-text' }, '“' + visible(S.art.cps.slice(it.start, it.end)) + '”'),
    el('span', { class: 'offsets' }, `${it.start}–${it.end}`));
  const parts = [head];
  if (c.kind === 'm') {
    if (it.pre) {
      parts.push(el('div', { class: 'pre-line' + (it.pre.reviewed ? '' : ' unreviewed') },
        `pre-annotated by ${it.pre.plugin} ${it.pre.version}: ${it.pre.reviewed ? 'reviewed' : 'not reviewed (a accepts, r rejects)'}`));
    }
    const form = el('div', { class: 'form' });
    editor.root = form;
    editor.show(it);
    parts.push(form);
  } else {
    const reason = el('input', { id: 'v-reason', value: it.reason || '', placeholder: 'why: menu, byline, photo credit…', spellcheck: 'false' });
    reason.oninput = () => {
      S.typing = true;
      edit(() => replaceIgnore(it.k, { reason: reason.value || null }), 'reason:' + it.k);
      S.typing = false;
    };
    reason.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === 'Escape') { ev.preventDefault(); reason.blur(); $('text').focus({ preventScroll: true }); }
    });
    parts.push(el('label', { class: 'row' }, el('span', { class: 'lab' }, 'reason'), reason));
  }
  parts.push(el('ul', { id: 'cur-problems', class: 'problems' }));
  box.replaceChildren(...parts);
  drawCurProblems();
}

function problemItem(p) {
  return el('li', { class: p.severity }, p.message, p.rule ? el('div', { class: 'rule' }, 'rule: ' + p.rule) : null);
}

function drawCurProblems() {
  const ul = $('cur-problems');
  if (!ul) return;
  const c = current();
  if (!c) return ul.replaceChildren();
  let list;
  if (c.kind === 'm' && S.curProblems && S.curProblems.key === S.cur) list = S.curProblems.problems;
  else if (c.kind === 'm') list = S.problems.filter((p) => p.mention === c.item.id);
  else list = S.problems.filter((p) => p.ignore && p.ignore.start === c.item.start && p.ignore.end === c.item.end);
  ul.replaceChildren(...list.map(problemItem));
  if (!list.length) ul.append(el('li', { class: 'ok' }, 'valid'));
}

function drawSide() {
  drawCur(false);
  const pend = $('pending');
  const r = S.pending || (S.views.text && S.views.text.selection());
  pend.hidden = !r;
  if (r) pend.textContent = `selected “${visible(S.art.cps.slice(r.start, r.end))}” ${r.start}–${r.end}: d o f p i to label, ←/→ move start, Shift+←/→ move end`;
  const counts = { date: 0, official: 0, figure: 0, percentage: 0 };
  let unreviewed = 0;
  for (const m of S.doc.mentions) {
    counts[m.field]++;
    if (m.pre && !m.pre.reviewed) unreviewed++;
  }
  const errors = S.problems.filter((p) => p.severity === 'error').length;
  const warnings = S.problems.length - errors;
  $('counts').replaceChildren(
    ...Object.entries(counts).map(([f, n]) => el('span', { class: 'badge f-' + f }, `${f} ${n}`)),
    el('span', { class: 'badge ig' }, `ignore ${S.doc.ignore.length}`),
    unreviewed ? el('span', { class: 'badge pre' }, `${unreviewed} unreviewed`) : '',
    el('span', { class: errors ? 'bad' : 'ok' }, ` ${errors} error(s)`),
    el('span', { class: warnings ? 'warn' : 'ok' }, `, ${warnings} warning(s)`));
  $('all-problems').replaceChildren(...S.problems.map((p) => {
    const li = problemItem(p);
    li.onclick = () => {
      if (p.mention) setCur('m:' + p.mention, true);
      else if (p.ignore) {
        const ig = S.doc.ignore.find((i) => i.start === p.ignore.start && i.end === p.ignore.end);
        if (ig) setCur('i:' + ig.k, true);
      }
    };
    return li;
  }));
}

// ---------------------------------------------------------------- server checks

let validateSeq = 0, validateTimer = null;
function validateCur() {
  clearTimeout(validateTimer);
  validateTimer = setTimeout(async () => {
    const c = current();
    if (!c || c.kind !== 'm') return;
    const seq = ++validateSeq, key = S.cur;
    const { k, ...m } = c.item;
    const r = await api('POST', `articles/${encodeURIComponent(S.art.id)}/validate`, { mention: m });
    if (seq !== validateSeq || key !== S.cur || !r.ok) return;
    S.curProblems = { key, problems: r.data.problems };
    drawCurProblems();
  }, 80);
}

let checkSeq = 0, checkTimer = null;
function scheduleCheck() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(async () => {
    if (!S.art) return;
    const seq = ++checkSeq, id = S.art.id;
    const r = await api('POST', `articles/${encodeURIComponent(id)}/check`, { doc: stripped() });
    if (seq !== checkSeq || !S.art || S.art.id !== id || !r.ok) return;
    S.problems = r.data.problems;
    refresh();
  }, 250);
}

// ---------------------------------------------------------------- drafts and saving

let draftTimer = null;
function scheduleDraft() {
  clearTimeout(draftTimer);
  draftTimer = setTimeout(saveDraft, 400);
}

function saveDraft() {
  if (!S.art || !S.dirty) return;
  try {
    localStorage.setItem(draftKey(S.art.id), JSON.stringify({
      hash: S.art.hash, doc: stripped(), done: S.done, resolved: S.adj ? S.adj.resolved : null, at: new Date().toISOString(),
    }));
  } catch (e) { /* storage full or off: the page still holds the edits */ }
}

function clearDraft() {
  try { localStorage.removeItem(draftKey(S.art.id)); } catch (e) { /* nothing stored */ }
}

// Unsaved edits of this article left in this browser are offered back.
function offerDraft() {
  let d = null;
  try { d = JSON.parse(localStorage.getItem(draftKey(S.art.id)) || 'null'); } catch (e) { d = null; }
  if (!d || !S.art.editable) return false;
  const apply = () => {
    edit(() => {
      S.doc = withKeys(d.doc);
      S.done = d.done;
      if (S.adj && d.resolved) S.adj.resolved = d.resolved;
    });
  };
  if (d.hash === S.art.hash) {
    apply();
    banner('info', `Restored your unsaved edits from ${d.at} (Ctrl+Z goes back to the file).`, [['Discard them', () => { undo(); clearDraft(); }]]);
    return true;
  }
  banner('warn', `This browser holds unsaved edits from ${d.at}, made on an older version of the file.`,
    [['Restore them', apply], ['Discard them', clearDraft]]);
  return true;
}

function undecided() {
  return S.adj ? S.adj.choices.filter((_, i) => !S.adj.resolved[i]).length : 0;
}

async function save(baseHash) {
  if (!S.art || !S.art.editable || S.saving) return;
  if (undecided()) {
    return banner('warn', `${undecided()} disagreement(s) are not decided yet: decide each one (← left, → right, e edit) before saving.`);
  }
  S.saving = true;
  $('save-state').textContent = 'saving…';
  const id = S.art.id;
  let r;
  try {
    r = await api('POST', 'articles/' + encodeURIComponent(id), { base_hash: baseHash ?? S.art.hash, done: S.done, doc: stripped() });
  } catch (e) {
    S.saving = false;
    saveDraft();
    updateHeader();
    return banner('error', 'Could not reach the server: your edits stay in this page and in this browser; save again once it runs.');
  } finally {
    S.saving = false;
  }
  if (!S.art || S.art.id !== id) return;
  if (r.status === 200) {
    S.art.hash = r.data.hash;
    S.dirty = false;
    S.problems = r.data.problems;
    if (S.adj) S.adj.saved = true;
    clearDraft();
    const entry = S.list.find((x) => x.id === id);
    if (entry) entry.status = r.data.status;
    banner('ok', `Saved ${id} (${r.data.status}).`, [], true);
  } else if (r.status === 409) {
    saveDraft();
    banner('error', 'The gold file changed on disk since this page loaded it. Nothing was written.', [
      ['Load the file from disk (my edits stay as a draft)', () => openArticle(id)],
      ['Overwrite it with mine', () => save(r.data.hash)],
    ]);
  } else if (r.status === 422) {
    S.problems = r.data.problems;
    banner('error', `Not saved: ${r.data.error}. Your edits stay in this page; the problems are listed on the right.`);
  } else {
    banner('error', `Not saved: ${r.data.error}. Your edits stay in this page.`);
  }
  refresh();
}

async function preannotate() {
  banner('info', `Pre-annotating with ${S.session.plugin.name}…`);
  const id = S.art.id;
  const r = await api('POST', `articles/${encodeURIComponent(id)}/preannotate`);
  if (!S.art || S.art.id !== id) return;
  if (!r.ok) return banner('error', `Pre-annotation failed: ${r.data.error}`);
  if (!r.data.mentions.length) return banner('info', `${S.session.plugin.name} found nothing here.`, [], true);
  edit(() => { S.doc.mentions = [...S.doc.mentions, ...r.data.mentions]; });
  banner('info', `${r.data.mentions.length} mention(s) proposed by ${r.data.plugin.name} ${r.data.plugin.version}, not reviewed yet: J goes to the next, a accepts, r rejects, A accepts all.`);
  step(1, true);
}

// ---------------------------------------------------------------- adjudication

function setupPasses() {
  const cps = S.art.cps;
  const disputed = (side) => {
    const keys = new Set();
    S.adj.choices.forEach((c) => {
      for (const m of c[side].mentions) keys.add('m:' + m.id);
      for (const i of c[side].ignore) keys.add('i:' + i.start + '-' + i.end);
    });
    return keys;
  };
  for (const side of ['a', 'b']) {
    const view = new TextView($('pane-' + side), cps, null);
    const d = disputed(side);
    const its = new Map();
    for (const i of S.adj[side].ignore) {
      const k = 'i:' + i.start + '-' + i.end;
      its.set(k, { start: i.start, end: i.end, cls: 'ig' + (d.has(k) ? ' disputed' : '') });
    }
    for (const m of S.adj[side].mentions) {
      its.set('m:' + m.id, { start: m.start, end: m.end, cls: 'm f-' + m.field + (d.has('m:' + m.id) ? ' disputed' : '') });
    }
    view.items = its;
    view.redrawAll();
    S.views[side] = view;
  }
  // The two panes show the same text: scroll them together.
  let syncing = false;
  for (const [x, y] of [['pane-a', 'pane-b'], ['pane-b', 'pane-a']]) {
    $(x).onscroll = () => {
      if (syncing) return;
      syncing = true;
      $(y).scrollTop = $(x).scrollTop;
      requestAnimationFrame(() => { syncing = false; });
    };
  }
  drawAgreement($('adj-agreement'), S.adj.agreement, S.art.id);
}

function layout() {
  const passes = S.view === 'passes';
  $('adj-bar').hidden = !S.adj;
  $('text').hidden = passes;
  $('pane-a').hidden = !passes;
  $('pane-b').hidden = !passes;
  $('side').hidden = passes;
  $('view-toggle').hidden = !S.adj;
  $('view-toggle').textContent = passes ? 'Merged result (m)' : 'The two passes (m)';
  if (passes) showChoice();
}

function describe(doc) {
  const lines = [
    ...doc.mentions.map((m) => `“${visible(m.text)}” ${m.start}–${m.end}  ${JSON.stringify(m.value)}`),
    ...doc.ignore.map((i) => `ignore ${i.start}–${i.end}${i.reason ? ' (' + i.reason + ')' : ''}`),
  ];
  return lines.length ? lines.join('\n') : '(nothing)';
}

function drawChoice() {
  const box = $('choice');
  if (!S.adj.choices.length) {
    box.replaceChildren(el('p', { class: 'hint' }, S.adj.saved || S.art.hash
      ? 'This article is adjudicated: the merged gold file is what you edit now.'
      : 'The two passes agree on everything here: save (Ctrl+S) to write the merged file.'));
    return;
  }
  const i = S.adj.idx, c = S.adj.choices[i], done = S.adj.resolved[i];
  const side = (name, which, key) => el('div', { class: 'side' + (done && done.side === which ? ' chosen' : '') },
    el('div', { class: 'side-head' }, `${name} [${key}]`), el('pre', {}, describe(c[which])));
  box.replaceChildren(
    el('div', { class: 'choice-head' },
      `Disagreement ${i + 1} of ${S.adj.choices.length} · ${c.field || 'ignore'} · ${c.kind.replace('_', ' ')}` +
      ` · ${undecided()} undecided` + (done ? ` · decided: ${done.side === 'a' ? 'left' : done.side === 'b' ? 'right' : 'edited'}` : '')),
    el('div', { class: 'sides' }, side(`left: ${short(S.session.a)}`, 'a', '← or 1'), side(`right: ${short(S.session.b)}`, 'b', '→ or 2')),
    el('div', { class: 'choice-buttons' },
      el('button', { id: 'choose-a', onclick: () => decide('a') }, '← Left'),
      el('button', { id: 'choose-b', onclick: () => decide('b') }, 'Right →'),
      el('button', { id: 'choose-edit', onclick: () => decide('edit') }, 'Edit (e)'),
      el('button', { onclick: () => moveChoice(-1) }, 'Previous (k)'),
      el('button', { onclick: () => moveChoice(1) }, 'Next (j)')));
}

function showChoice() {
  drawChoice();
  const c = S.adj.choices[S.adj.idx];
  if (!c) return;
  for (const side of ['a', 'b']) {
    const keys = [...c[side].mentions.map((m) => 'm:' + m.id), ...c[side].ignore.map((x) => 'i:' + x.start + '-' + x.end)];
    S.views[side].highlight(keys);
    S.views[side].reveal(c.start);
  }
}

function moveChoice(dir) {
  const n = S.adj.choices.length;
  if (!n) return;
  S.adj.idx = (S.adj.idx + dir + n) % n;
  showChoice();
}

// Takes one side of the current disagreement into the merged article
// (replacing what an earlier decision on it took), or one side to edit.
function decide(how) {
  const i = S.adj.idx, c = S.adj.choices[i];
  if (!c) return;
  const hasA = c.a.mentions.length || c.a.ignore.length;
  const src = how === 'b' || (how === 'edit' && !hasA) ? c.b : c.a;
  const keys = [];
  edit(() => {
    const before = S.adj.resolved[i];
    if (before) {
      const drop = new Set(before.keys);
      S.doc.mentions = S.doc.mentions.filter((m) => !drop.has('m:' + m.id));
      S.doc.ignore = S.doc.ignore.filter((x) => !drop.has('i:' + x.k));
    }
    for (const m of src.mentions) {
      const id = mention(m.id) ? nextId(m.field) : m.id;
      S.doc.mentions = [...S.doc.mentions, { ...m, id }];
      keys.push('m:' + id);
    }
    for (const x of src.ignore) {
      const k = S.nextK++;
      S.doc.ignore = [...S.doc.ignore, { ...x, k }];
      keys.push('i:' + k);
    }
    S.adj.resolved = { ...S.adj.resolved, [i]: { side: how, keys } };
  });
  if (how === 'edit') {
    S.view = 'article';
    layout();
    setCur(keys[0] || null, true);
    editor.focus();
    return;
  }
  const next = S.adj.choices.findIndex((_, j) => !S.adj.resolved[j]);
  if (next >= 0) S.adj.idx = next;
  showChoice();
}

function adjKeys(ev) {
  const k = ev.key;
  if (k === 'm') { S.view = S.view === 'passes' ? 'article' : 'passes'; layout(); refresh(); return true; }
  if (S.view !== 'passes') return false;
  if (k === 'ArrowLeft' || k === '1') decide('a');
  else if (k === 'ArrowRight' || k === '2') decide('b');
  else if (k === 'e') decide('edit');
  else if (k === 'j') moveChoice(1);
  else if (k === 'k') moveChoice(-1);
  else if (k === 'Escape') { showList(); }
  else if (k === '?') toggleHelp();
  else return false;
  ev.preventDefault();
  return true;
}

// ---------------------------------------------------------------- find

function openFind() {
  $('find').hidden = false;
  $('find-input').focus();
  $('find-input').select();
}

function find(dir) {
  const q = $('find-input').value;
  if (!q) return;
  const t = S.art.text;
  const from = S.pending ? S.art.cps.toU16(dir > 0 ? S.pending.start + 1 : S.pending.start) : 0;
  // NFD articles hold decomposed accents; a typed query is usually NFC.
  const hits = (needle) => {
    const out = [];
    for (let i = t.indexOf(needle); i >= 0; i = t.indexOf(needle, i + 1)) out.push([i, needle.length]);
    return out;
  };
  let all = hits(q);
  if (!all.length) all = hits(q.normalize('NFD'));
  if (!all.length) return banner('info', `“${q}” is not in the text.`, [], true);
  const hit = dir > 0 ? (all.find(([i]) => i >= from) || all[0]) : ([...all].reverse().find(([i]) => i < from) || all[all.length - 1]);
  selectRange({ start: S.art.cps.toCp(hit[0]), end: S.art.cps.toCp(hit[0] + hit[1]) });
}

$('find-input').addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter') { ev.preventDefault(); find(ev.shiftKey ? -1 : 1); }
  else if (ev.key === 'Escape') {
    ev.preventDefault();
    $('find').hidden = true;
    $('text').focus({ preventScroll: true });
    if (S.pending) S.views.text.select(S.pending.start, S.pending.end);
  }
});

// ---------------------------------------------------------------- keys

function toggleHelp() {
  $('help').hidden = !$('help').hidden;
}

function articleKeys(ev) {
  const k = ev.key;
  const word = ev.ctrlKey || ev.altKey;
  if (k === 'ArrowLeft' || k === 'ArrowRight') {
    adjust(ev.shiftKey ? 'end' : 'start', k === 'ArrowLeft' ? -1 : 1, word);
  } else if (ev.ctrlKey || ev.metaKey || ev.altKey) {
    return;
  } else if (FIELD_KEYS[k]) label(FIELD_KEYS[k]);
  else if (k === 'i') label('ignore');
  else if (k === 'Enter') editor.focus();
  else if (k === 'j') step(1, false);
  else if (k === 'k') step(-1, false);
  else if (k === 'J') step(1, true);
  else if (k === 'K') step(-1, true);
  else if (k === 'a') accept(false);
  else if (k === 'A') accept(true);
  else if (k === 'r') reject(false);
  else if (k === 'R') reject(true);
  else if (k === 'x' || k === 'Delete' || k === 'Backspace') removeCurrent();
  else if (k === 't') addTitle();
  else if (k === 'u') nextNumber(1);
  else if (k === 'U') nextNumber(-1);
  else if (k === '/') openFind();
  else if (k === 'w') $('text').classList.toggle('ws');
  else if (k === 'D') { edit(() => { S.done = !S.done; }); }
  else if (k === 's') save();
  else if (k === '?') toggleHelp();
  else if (k === ']' || k === '[') {
    const i = S.list.findIndex((x) => x.id === S.art.id) + (k === ']' ? 1 : -1);
    if (S.list[i]) openArticle(S.list[i].id);
  } else if (k === 'Escape') {
    if (S.pending) { S.pending = null; window.getSelection().removeAllRanges(); drawSide(); }
    else if (S.cur) setCur(null);
    else showList();
  } else return;
  ev.preventDefault();
}

document.addEventListener('keydown', (ev) => {
  const ctrl = ev.ctrlKey || ev.metaKey;
  if (ctrl && ev.key.toLowerCase() === 's') { ev.preventDefault(); save(); return; }
  if (ev.target.closest && ev.target.closest('input:not([type=checkbox]), textarea')) return;
  if (!$('help').hidden) { if (ev.key === 'Escape' || ev.key === '?') toggleHelp(); return; }
  if (S.view === 'list') return listKeys(ev);
  if (ctrl && ev.key.toLowerCase() === 'z') { ev.preventDefault(); if (ev.shiftKey) redo(); else undo(); return; }
  if (ctrl && ev.key.toLowerCase() === 'y') { ev.preventDefault(); redo(); return; }
  if (S.adj && adjKeys(ev)) return;
  articleKeys(ev);
});

document.addEventListener('selectionchange', () => {
  if (S.view !== 'article' || !S.views.text) return;
  const r = S.views.text.selection();
  if (r) { S.pending = r; drawSide(); }
});

window.addEventListener('beforeunload', (ev) => {
  if (S.dirty) { saveDraft(); ev.preventDefault(); }
});

$('to-list').onclick = () => showList();
$('save').onclick = () => save();
$('help-btn').onclick = () => toggleHelp();
$('done').onchange = () => edit(() => { S.done = $('done').checked; });
$('view-toggle').onclick = () => { S.view = S.view === 'passes' ? 'article' : 'passes'; layout(); refresh(); };

async function boot() {
  const r = await api('GET', 'session');
  if (!r.ok) {
    $('title').textContent = 'harness annotate';
    return banner('error', `The server refused this page (${r.data.error || r.status}). Open the URL that harness annotate printed.`);
  }
  S.session = r.data;
  await showList();
  if (S.session.article) await openArticle(S.session.article);
}

boot();
