// The page side of internal/redact. This file holds the masking algorithm
// only: every expression comes from Go (Masker.PageRules), and it matches
// and merges exactly as grammar.go does, so a page hides what trace.json
// hides (a browser test compares the two on every sample of the grammar).
//
// It works on the rendered text of whole elements, not single text nodes:
// "Hunter2<b>Secret</b>" is one secret on screen, so the text of every
// block (and of the inline elements, flex and grid items laid out in it) is
// searched as one string, and each piece of a match is hidden in the text
// node it sits in. Every rule ignores letter case, as text-transform does.
(function (g) {
  const DOTS = g.dots;
  const ELL = g.ellipsis;
  const rules = g.rules.map((r) => ({ re: new RegExp(r.source, r.flags), fp: !!r.fingerprint }));

  function codeShown(n) {
    return n <= g.minCodeForFingerprint ? 0 : Math.min(g.maxCodeShown, Math.floor(n / 3));
  }
  function fingerprint(v) {
    const cs = Array.from(v);
    const k = codeShown(cs.length);
    return k === 0 ? DOTS : cs.slice(0, k).join("") + ELL;
  }

  // merge sorts ranges and joins those that overlap (grammar.go's merge).
  function merge(rs) {
    if (rs.length < 2) return rs;
    rs.sort((x, y) => x.start - y.start || y.end - x.end);
    const out = [Object.assign({}, rs[0])];
    for (let i = 1; i < rs.length; i++) {
      const r = rs[i];
      const cur = out[out.length - 1];
      if (r.start >= cur.end) out.push(Object.assign({}, r));
      else if (r.start === cur.start && r.end === cur.end && r.repl === cur.repl) continue;
      else { cur.end = Math.max(cur.end, r.end); cur.repl = DOTS; }
    }
    return out;
  }

  // ranges finds what to replace in s (Masker.ranges).
  function ranges(s) {
    const out = [];
    for (const r of rules) {
      r.re.lastIndex = 0;
      let m;
      while ((m = r.re.exec(s)) !== null) {
        if (m[0].length === 0) r.re.lastIndex++;
        const a = m.index + m[1].length;
        const v = m[2];
        if (!v || v === DOTS || (r.fp && v.endsWith(ELL))) continue;
        out.push({ start: a, end: a + v.length, repl: r.fp ? fingerprint(v) : DOTS });
      }
    }
    return merge(out);
  }

  function apply(s, rs) {
    let out = "";
    let last = 0;
    for (const r of rs) { out += s.slice(last, r.start) + r.repl; last = r.end; }
    return out + s.slice(last);
  }

  function mask(s) {
    if (!s) return s;
    const rs = ranges(s);
    return rs.length ? apply(s, rs) : s;
  }

  // A field being filled: its value hides a secret, or ends with the start
  // of one (the secret is being typed). Letter case does not matter.
  function hides(v) {
    if (!v) return false;
    if (mask(v) !== v) return true;
    const lv = v.toLowerCase();
    for (const s of g.secrets) {
      const ls = s.toLowerCase();
      for (let n = Math.min(ls.length, lv.length); n >= Math.min(2, ls.length); n--) {
        if (lv.endsWith(ls.slice(0, n))) return true;
      }
    }
    return false;
  }

  // Text that is never drawn as text (and scripts that have yet to run must
  // keep theirs); a textarea shows its value, which fields handle.
  const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "TEXTAREA"]);

  // isBlock: does el start its own run of text? Inline boxes, and the items
  // of a flex or grid container (laid out side by side), belong to the run
  // of the block around them.
  function isBlock(el, cache) {
    let b = cache.get(el);
    if (b !== undefined) return b;
    b = true;
    if (el !== document.documentElement && el !== document.body && el.parentElement) {
      const d = getComputedStyle(el).display;
      if (d === "contents" || d.startsWith("inline") || d.startsWith("ruby")) {
        b = false;
      } else {
        const pd = getComputedStyle(el.parentElement).display;
        if (pd.includes("flex") || pd.includes("grid")) b = false;
      }
    }
    cache.set(el, b);
    return b;
  }

  function blockOf(node, cache) {
    let el = node.nodeType === 1 ? node : node.parentElement;
    while (el && !isBlock(el, cache)) el = el.parentElement;
    return el || document.documentElement;
  }

  function skipped(node) {
    for (let el = node.parentElement; el; el = el.parentElement) {
      if (SKIP.has(el.tagName)) return true;
    }
    return false;
  }

  // maskRun hides the matches of one run of text nodes: matches of the
  // run's whole text (a secret split over elements) and of each node on
  // its own (word boundaries as the node has them).
  function maskRun(nodes, record) {
    const offs = [];
    let text = "";
    for (const n of nodes) { offs.push(text.length); text += n.data; }
    let rs = ranges(text);
    if (nodes.length > 1) {
      nodes.forEach((n, i) => {
        for (const r of ranges(n.data)) rs.push({ start: r.start + offs[i], end: r.end + offs[i], repl: r.repl });
      });
      rs = merge(rs);
    }
    if (!rs.length) return 0;
    const edits = nodes.map(() => []);
    for (const r of rs) {
      let first = true;
      nodes.forEach((n, i) => {
        const a = Math.max(r.start, offs[i]);
        const b = Math.min(r.end, offs[i] + n.data.length);
        if (a >= b) return;
        // The mask goes where the secret starts; its other pieces go.
        edits[i].push([a - offs[i], b - offs[i], first ? r.repl : ""]);
        first = false;
      });
    }
    let changed = 0;
    nodes.forEach((n, i) => {
      let s = n.data;
      for (let k = edits[i].length - 1; k >= 0; k--) {
        const [a, b, t] = edits[i][k];
        s = s.slice(0, a) + t + s.slice(b);
      }
      if (s !== n.data) {
        if (record) record(n, n.data);
        n.data = s;
        changed++;
      }
    });
    return changed;
  }

  // maskTree hides every match in the text around node (the runs of its
  // block). record(textNode, oldText) hears each change, to undo it.
  function maskTree(node, record) {
    if (!node) return 0;
    const cache = new Map();
    const root = blockOf(node, cache);
    if (SKIP.has(root.tagName) || skipped(root)) return 0;
    const runs = new Map();
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => n.nodeType === 1 ? (SKIP.has(n.tagName) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP) : NodeFilter.FILTER_ACCEPT,
    });
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (!n.data) continue;
      const b = blockOf(n, cache);
      let list = runs.get(b);
      if (!list) runs.set(b, (list = []));
      list.push(n);
    }
    let changed = 0;
    for (const nodes of runs.values()) changed += maskRun(nodes, record);
    return changed;
  }

  return { mask, ranges, hides, maskTree, blockOf: (n) => blockOf(n, new Map()), secrets: g.secrets, dots: DOTS };
})
