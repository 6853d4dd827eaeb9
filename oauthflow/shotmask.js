// Masks tokens and secrets in the page for one evidence screenshot, and
// returns a function that puts everything back: the flow and pinready's own
// reads (which must still find an exposed token) see the page unchanged.
// patterns: [[source, flags]], the trace masker's expressions (secrets.go); secrets: the
// value_env values.
(function (patterns, secrets) {
  const DOTS = "\u2022\u2022\u2022";
  const res = patterns.map(([src, flags]) => new RegExp(src, flags));
  const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  if (secrets.length) res.push(new RegExp(secrets.map(esc).join("|"), "g"));
  const mask = (s) => res.reduce((r, re) => r.replace(re, DOTS), s);
  const undo = [];
  const root = document.documentElement;
  if (root) {
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const m = mask(n.nodeValue);
      if (m !== n.nodeValue) {
        undo.push(((node, old) => () => { node.nodeValue = old; })(n, n.nodeValue));
        n.nodeValue = m;
      }
    }
    // A field's value must stay what it is (the form submits it): draw it as discs.
    for (const el of document.querySelectorAll("input, textarea")) {
      if (el.value && mask(el.value) !== el.value) {
        undo.push(((e, old) => () => { e.style.webkitTextSecurity = old; })(el, el.style.webkitTextSecurity));
        el.style.webkitTextSecurity = "disc";
      }
    }
  }
  window.__pinreadyUnmask = () => { undo.forEach((f) => f()); delete window.__pinreadyUnmask; };
  return undo.length;
})
