'use strict';
// The article text on screen. The server counts offsets in code points of
// the text as stored; JS strings count UTF-16 units, so every offset crosses
// CodePoints. The text is drawn in chunks of a few thousand code points, and
// an edit redraws only the chunks it touches, so a 200 KB article stays fast.

class CodePoints {
  constructor(text) {
    this.text = text;
    const u16 = [];
    for (let i = 0; i < text.length; ) {
      u16.push(i);
      i += text.codePointAt(i) > 0xffff ? 2 : 1;
    }
    u16.push(text.length);
    this.u16 = Uint32Array.from(u16);
    this.length = u16.length - 1;
  }
  toU16(cp) {
    return this.u16[Math.max(0, Math.min(cp, this.length))];
  }
  // The code point at or before a UTF-16 offset (never inside a surrogate pair).
  toCp(u) {
    let lo = 0, hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.u16[mid] <= u) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  slice(start, end) {
    return this.text.slice(this.toU16(start), this.toU16(end));
  }
  // Code point `cp` as a string.
  at(cp) {
    return this.slice(cp, cp + 1);
  }
}

// Characters that are easy to miss: drawn in a span of their own so they
// can be made visible (class "ws" on the view) without changing the text.
const SPECIAL = /[\u00a0\r\t\u200b\u00ad\ufeff\u202f\u2009\u2007]/;
const SPECIAL_SPLIT = /([\u00a0\r\t\u200b\u00ad\ufeff\u202f\u2009\u2007])/;
const CHUNK = 2000;

class TextView {
  // el: the container; cps: CodePoints; onPick(key): a mark was clicked.
  constructor(el, cps, onPick) {
    this.el = el;
    this.cps = cps;
    this.onPick = onPick;
    this.items = new Map();
    this.chunks = this.cut();
    el.textContent = '';
    el.classList.add('textview');
    const t = cps.text;
    const lineStart = (cp) => cp === 0 || t[cps.toU16(cp) - 1] === '\n';
    this.nodes = this.chunks.map((c) => {
      const s = document.createElement('span');
      // A chunk of whole lines is a block of its own, so that redrawing it
      // lays out only its lines, and the browser can skip it off screen.
      s.className = lineStart(c.start) && lineStart(c.end) ? 'chunk blk' : 'chunk';
      s.dataset.s = c.start;
      el.appendChild(s);
      return s;
    });
    el.onclick = (ev) => {
      const sel = window.getSelection();
      if (sel && !sel.isCollapsed) return;
      const mark = ev.target.closest('mark');
      if (mark && this.onPick) this.onPick(mark.dataset.k);
    };
  }

  // Chunk bounds: every line is a chunk (a block of its own, see the
  // constructor), and a line longer than CHUNK is cut at spaces.
  cut() {
    const t = this.cps.text, cps = this.cps, out = [];
    let line = 0;
    while (line < cps.length) {
      const nl = t.indexOf('\n', cps.toU16(line));
      const end = nl < 0 ? cps.length : cps.toCp(nl + 1);
      let start = line;
      while (end - start > CHUNK) {
        const from = cps.toU16(start + CHUNK / 2), to = cps.toU16(start + CHUNK);
        const sp = t.slice(from, to).lastIndexOf(' ');
        const cut = sp >= 0 ? cps.toCp(from + sp + 1) : start + CHUNK;
        out.push({ start, end: cut });
        start = cut;
      }
      out.push({ start, end });
      line = end;
    }
    if (!out.length) out.push({ start: 0, end: 0 });
    return out;
  }

  // items: Map key -> {start, end, cls}. Redraws the chunks whose items changed.
  sync(items) {
    const dirty = new Set();
    const touch = (it) => {
      for (let i = 0; i < this.chunks.length; i++) {
        const c = this.chunks[i];
        if (it.start < c.end && it.end > c.start) dirty.add(i);
        else if (it.start === it.end && it.start >= c.start && it.start <= c.end) dirty.add(i);
      }
    };
    for (const [k, it] of items) {
      const old = this.items.get(k);
      if (!old || old.start !== it.start || old.end !== it.end || old.cls !== it.cls) {
        touch(it);
        if (old) touch(old);
      }
    }
    for (const [k, old] of this.items) if (!items.has(k)) touch(old);
    this.items = items;
    for (const i of dirty) this.draw(i);
    return dirty.size;
  }

  redrawAll() {
    for (let i = 0; i < this.chunks.length; i++) this.draw(i);
  }

  draw(i) {
    const c = this.chunks[i];
    const inside = [];
    for (const [k, it] of this.items) if (it.start < c.end && it.end > c.start) inside.push([k, it]);
    const cuts = new Set([c.start, c.end]);
    for (const [, it] of inside) {
      if (it.start > c.start) cuts.add(it.start);
      if (it.end < c.end) cuts.add(it.end);
    }
    const bounds = [...cuts].sort((a, b) => a - b);
    const frag = document.createDocumentFragment();
    for (let j = 0; j + 1 < bounds.length; j++) {
      const s = bounds[j], e = bounds[j + 1];
      const cover = inside.filter(([, it]) => it.start <= s && it.end >= e);
      const text = this.cps.slice(s, e);
      if (!cover.length) {
        appendText(frag, text);
        continue;
      }
      const mark = document.createElement('mark');
      cover.sort((a, b) => (a[1].end - a[1].start) - (b[1].end - b[1].start));
      mark.dataset.k = cover[0][0];
      mark.dataset.keys = cover.map(([k]) => k).join(' ');
      mark.className = [...new Set(cover.flatMap(([, it]) => it.cls.split(' ')))].join(' ') +
        (cover.length > 1 ? ' nested' : '');
      appendText(mark, text);
      frag.appendChild(mark);
    }
    this.nodes[i].replaceChildren(frag);
  }

  // Marks the items whose keys are given as current.
  highlight(keys) {
    for (const m of this.el.querySelectorAll('mark.cur')) m.classList.remove('cur');
    for (const k of keys) {
      for (const m of this.el.querySelectorAll(`mark[data-keys~="${CSS.escape(k)}"]`)) m.classList.add('cur');
    }
  }

  chunkOf(cp) {
    let lo = 0, hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.chunks[mid].start <= cp) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  // A DOM position as a code point offset, or null outside this view.
  cpAt(node, offset) {
    const el = node.nodeType === 1 ? node : node.parentElement;
    const chunk = el && el.closest('.chunk');
    if (!chunk || !this.el.contains(chunk)) return null;
    const r = document.createRange();
    r.setStart(chunk, 0);
    r.setEnd(node, offset);
    const start = +chunk.dataset.s;
    return this.cps.toCp(this.cps.toU16(start) + r.toString().length);
  }

  // The selection inside this view as code points, or null.
  selection() {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) return null;
    const r = sel.getRangeAt(0);
    const a = this.cpAt(r.startContainer, r.startOffset), b = this.cpAt(r.endContainer, r.endOffset);
    if (a === null || b === null || a === b) return null;
    return { start: Math.min(a, b), end: Math.max(a, b) };
  }

  // The DOM position of code point offset `cp`.
  domAt(cp) {
    const i = this.chunkOf(cp);
    let left = this.cps.toU16(cp) - this.cps.toU16(this.chunks[i].start);
    const walk = document.createTreeWalker(this.nodes[i], NodeFilter.SHOW_TEXT);
    let last = null;
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (left <= n.data.length) return [n, left];
      left -= n.data.length;
      last = n;
    }
    return last ? [last, last.data.length] : [this.nodes[i], 0];
  }

  select(start, end) {
    const r = document.createRange();
    r.setStart(...this.domAt(start));
    r.setEnd(...this.domAt(end));
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(r);
  }

  // Scrolls so that code point `cp` is in view (vertically centred).
  reveal(cp) {
    const [n, off] = this.domAt(cp);
    const r = document.createRange();
    r.setStart(n, off);
    r.setEnd(n, off);
    const rect = r.getBoundingClientRect(), box = this.el.getBoundingClientRect();
    if (rect.top < box.top + 40 || rect.bottom > box.bottom - 40) {
      this.el.scrollTop += rect.top - box.top - box.height / 2;
    }
  }
}

function appendText(parent, text) {
  if (!SPECIAL.test(text)) {
    parent.appendChild(document.createTextNode(text));
    return;
  }
  for (const part of text.split(SPECIAL_SPLIT)) {
    if (!part) continue;
    if (part.length === 1 && SPECIAL.test(part)) {
      const s = document.createElement('span');
      s.className = 'sp sp-' + part.charCodeAt(0).toString(16);
      s.textContent = part;
      parent.appendChild(s);
    } else {
      parent.appendChild(document.createTextNode(part));
    }
  }
}
