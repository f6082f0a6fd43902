// The error browser of report.html. It reads the data block (harness
// src/report/render/html/data.rs) through fixed names, which a test checks
// key by key against the Rust side: D = the block, p = a plugin, a = an
// article, f = a finding, m = a mention (gold or predicted), v = a value.
(() => {
  const D = JSON.parse(document.getElementById('data').textContent);
  const KINDS = ['correct', 'boundary', 'wrong_value', 'missed', 'spurious'];
  const PRI = {wrong_value: 5, missed: 4, spurious: 3, boundary: 2, correct: 1};
  const $ = (s) => document.querySelector(s);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };
  const sel = $('#b-plugin'), fsel = $('#b-field'), diff = $('#b-diff'), out = $('#b-out');
  D.plugins.forEach((p, i) => sel.add(new Option(p.name, i)));
  const fmt = (v) => v == null ? '—' : typeof v === 'string' ? v
    : 'name' in v ? v.name + (v.titles && v.titles.length ? ' [' + v.titles.join('; ') + ']' : ' []')
    : 'amount' in v ? v.amount.toLocaleString('en') + ' ' + v.unit
    : 'value' in v ? v.value + '%' : JSON.stringify(v);
  const side = (m) => m ? '"' + (m.text == null ? '' : m.text) + '" → ' + fmt(m.value) : '—';
  const tip = (f) => f.field + ' · ' + f.kind.replace('_', ' ') + '\ngold: ' + side(f.gold) + '\npred: ' + side(f.pred);
  const best = (xs) => xs.reduce((x, y) => (PRI[y.f.kind] > PRI[x.f.kind] ? y : x));

  // Split the text at every highlight boundary (code point offsets), so
  // overlapping findings never nest or break each other.
  function highlight(text, fs) {
    const cps = Array.from(text), n = cps.length, cuts = new Set([0, n]), spans = [];
    for (const f of fs) {
      for (const [m, gold] of [[f.gold, true], [f.pred, false]]) {
        if (!m || m.start == null || m.end == null) continue;
        const s = Math.max(0, Math.min(m.start, n)), e = Math.max(s, Math.min(m.end, n));
        if (s < e) { spans.push({s, e, gold, f}); cuts.add(s); cuts.add(e); }
      }
    }
    const pts = [...cuts].sort((a, b) => a - b), box = el('div', 'text');
    for (let i = 0; i + 1 < pts.length; i++) {
      const s = pts[i], e = pts[i + 1], t = cps.slice(s, e).join('');
      const cov = spans.filter((x) => x.s <= s && x.e >= e);
      if (!cov.length) { box.append(t); continue; }
      const golds = cov.filter((x) => x.gold), preds = cov.filter((x) => !x.gold);
      const mark = el('mark', 'seg', t);
      mark.style.background = preds.length ? 'rgba(var(--' + best(preds).f.kind + '),.30)' : 'rgba(var(--' + best(golds).f.kind + '),.10)';
      if (golds.length) mark.style.borderBottom = '3px solid rgb(var(--' + best(golds).f.kind + '))';
      mark.dataset.kind = best(cov).f.kind;
      mark.title = [...new Set(cov.map((x) => x.f))].map(tip).join('\n\n');
      box.append(mark);
    }
    return box;
  }

  function render() {
    const p = D.plugins[sel.value];
    out.replaceChildren();
    if (!p) { out.append(el('p', 'muted', 'No plugin loaded.')); return; }
    const kinds = new Set([...document.querySelectorAll('.b-kind:checked')].map((c) => c.value));
    if (diff.checked) kinds.delete('correct');
    let hidden = 0;
    for (const a of p.articles) {
      const fs = a.findings.filter((f) => kinds.has(f.kind) && (!fsel.value || f.field === fsel.value));
      if (diff.checked && !fs.length && !a.error) { hidden++; continue; }
      const box = el('section', 'art'), h = el('h3', null, a.id), count = {};
      box.id = 'art-' + a.id;
      fs.forEach((f) => { count[f.kind] = (count[f.kind] || 0) + 1; });
      for (const k of KINDS) {
        if (!count[k]) continue;
        const pill = el('span', 'pill', count[k] + ' ' + k.replace('_', ' '));
        pill.style.setProperty('--k', 'var(--' + k + ')');
        h.append(pill);
      }
      box.append(h);
      if (a.error) box.append(el('p', 'err', 'plugin error: ' + a.error + ' (its gold mentions count as missed)'));
      const text = D.texts[a.id];
      if (text == null) {
        const ul = el('ul');
        fs.forEach((f) => ul.append(el('li', null, tip(f).replace(/\n/g, ' · '))));
        box.append(el('p', 'muted', 'Article text not in the report.'), ul);
      } else {
        box.append(highlight(text, fs));
      }
      out.append(box);
    }
    if (hidden) out.append(el('p', 'muted', hidden + ' article(s) with nothing to show hidden.'));
  }

  const correct = document.querySelector('.b-kind[value=correct]');
  const sync = () => { correct.disabled = diff.checked; correct.parentElement.classList.toggle('off', diff.checked); };
  diff.addEventListener('change', sync);
  sync();
  for (const c of [sel, fsel, diff, ...document.querySelectorAll('.b-kind')]) c.addEventListener('change', render);
  document.querySelector('table.heat')?.addEventListener('click', (ev) => {
    const td = ev.target.closest('td[data-a]');
    if (!td) return;
    sel.value = td.dataset.p;
    fsel.value = td.dataset.f;
    render();
    const target = document.getElementById('art-' + td.dataset.a);
    (target || $('#browser')).scrollIntoView({behavior: 'smooth', block: 'start'});
  });
  render();
})();
