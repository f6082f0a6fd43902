'use strict';
// The value editor of the current mention: one form per field, changes sent
// back as the whole new value. It checks nothing itself: the server
// validates every value with the gold loader's own checks.

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e[k] = v;
    else if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

// A typed number, as a number when it reads as one (the server's message
// explains anything else).
function numberOrText(s) {
  const t = s.trim();
  if (t === '') return null;
  return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(t) ? Number(t) : t;
}

function shown(v) {
  return v === null || v === undefined ? '' : String(v);
}

class ValueEditor {
  // onChange(value): the user changed the value; onDone(): Enter or Escape.
  constructor(root, onChange, onDone) {
    this.root = root;
    this.onChange = onChange;
    this.onDone = onDone;
  }

  keys(input, commit) {
    input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && !(commit && commit(ev))) {
        ev.preventDefault();
        this.onDone();
      } else if (ev.key === 'Escape') {
        ev.preventDefault();
        this.onDone();
      }
    });
  }

  field(label, input) {
    return el('label', { class: 'row' }, el('span', { class: 'lab' }, label), input);
  }

  // Draws the form for mention `m` (field and value).
  show(m) {
    this.m = m;
    this.root.replaceChildren();
    const v = m.value;
    if (m.field === 'date') {
      const i = el('input', { id: 'v-date', value: shown(v), placeholder: 'TIMEX: 2024-06-04, XXXX-Q1, 2021/2025', spellcheck: 'false' });
      i.oninput = () => this.onChange(i.value);
      this.keys(i);
      this.root.append(this.field('value', i));
    } else if (m.field === 'percentage') {
      const i = el('input', { id: 'v-value', value: shown(v && v.value), placeholder: '7.1', spellcheck: 'false' });
      i.oninput = () => this.onChange({ value: numberOrText(i.value) });
      this.keys(i);
      this.root.append(this.field('value', i));
    } else if (m.field === 'figure') {
      const a = el('input', { id: 'v-amount', value: shown(v && v.amount), placeholder: '1326800000000', spellcheck: 'false' });
      const u = el('input', { id: 'v-unit', value: shown(v && v.unit), placeholder: 'đồng', spellcheck: 'false' });
      const send = () => this.onChange({ amount: numberOrText(a.value), unit: u.value });
      a.oninput = send;
      u.oninput = send;
      this.keys(a);
      this.keys(u);
      this.root.append(this.field('amount', a), this.field('unit', u));
    } else if (m.field === 'official') {
      this.official(v || { name: '', titles: [] });
    }
  }

  official(v) {
    const name = el('input', { id: 'v-name', value: shown(v.name), spellcheck: 'false' });
    const titles = [...(v.titles || [])];
    const chips = el('div', { class: 'chips', id: 'v-titles' });
    const add = el('input', { id: 'v-title', placeholder: 'add a title, Enter', spellcheck: 'false' });
    const send = () => this.onChange({ name: name.value, titles: [...titles] });
    const draw = () => {
      chips.replaceChildren(...titles.map((t, i) => el('span', { class: 'chip' }, t,
        el('button', { class: 'x', title: 'remove', onclick: () => { titles.splice(i, 1); draw(); send(); } }, '×'))), add);
    };
    name.oninput = send;
    this.keys(name);
    this.keys(add, (ev) => {
      // Enter adds a typed title; with nothing typed it ends editing.
      const t = add.value.trim();
      if (!t) return false;
      ev.preventDefault();
      titles.push(t);
      add.value = '';
      draw();
      send();
      add.focus();
      return true;
    });
    add.addEventListener('keydown', (ev) => {
      if (ev.key === 'Backspace' && add.value === '' && titles.length) {
        titles.pop();
        draw();
        send();
        add.focus();
      } else if (ev.key === ',' || ev.key === ';') {
        // Titles are split at commas and semicolons.
        ev.preventDefault();
        const t = add.value.trim();
        if (t) { titles.push(t); add.value = ''; draw(); send(); add.focus(); }
      }
    });
    draw();
    this.root.append(this.field('name', name), el('div', { class: 'row' }, el('span', { class: 'lab' }, 'titles'), chips));
  }

  focus() {
    const i = this.root.querySelector('input');
    if (i) { i.focus(); i.select(); }
  }

  editing() {
    return this.root.contains(document.activeElement);
  }
}
