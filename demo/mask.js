// pinready's masking script for the video. It runs in an isolated world of
// every document the recorder captures, before the page's own scripts, so
// that tokens and registered secrets are replaced before anything paints:
// the page's scripts cannot read the secret list, and the DOM they share
// shows "•••".
// redact: the page masker of internal/redact, built with this run's rules
// (maskScript); it holds the grammar, this script decides only when and
// where to apply it. Running again (a secret registered later) swaps it.
(function (redact) {
  const KEY = "__pinreadyMask";
  if (window[KEY]) { window[KEY].use(redact); return; }
  let r = redact;
  // Attributes that navigate or submit keep their value: rewriting them would
  // change what the app does. Everything else a page can display is masked.
  const keepAttrs = new Set(["href", "src", "action", "formaction", "value", "name", "id", "class", "style", "for"]);
  // A field that holds a secret, or is being typed towards one, is drawn as
  // discs. Its value stays: the form must still submit what the user typed.
  function field(el) {
    if (el.type === "password" || !("value" in el)) return;
    if (r.hides(el.value)) el.style.setProperty("-webkit-text-security", "disc", "important");
  }
  function maskElement(el) {
    for (const a of Array.from(el.attributes || [])) {
      if (keepAttrs.has(a.name) && !(a.name === "value" && /^(button|submit|reset)$/i.test(el.type || ""))) continue;
      const m = r.mask(a.value);
      if (m !== a.value) el.setAttribute(a.name, m);
    }
    const tag = el.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA") field(el);
  }
  // scan masks the rendered text around each node (its whole block, so a
  // secret split over elements is seen whole) and the attributes and fields
  // inside it.
  function scan(nodes) {
    const blocks = new Set();
    for (const n of nodes) {
      if (!n || !n.isConnected) continue;
      blocks.add(r.blockOf(n));
      if (n.nodeType === 1) {
        maskElement(n);
        for (const el of n.querySelectorAll("*")) maskElement(el);
      }
    }
    // A block inside another that is scanned anyway is skipped.
    for (const b of blocks) {
      let outer = false;
      for (const o of blocks) if (o !== b && o.contains(b)) { outer = true; break; }
      if (!outer) r.maskTree(b);
    }
  }
  new MutationObserver((records) => {
    const nodes = [];
    for (const rec of records) {
      if (rec.type === "attributes") { maskElement(rec.target); continue; }
      // New text, or text that removed nodes brought together.
      nodes.push(rec.target);
      for (const n of rec.addedNodes) nodes.push(n);
    }
    scan(nodes);
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  // Typing fires input events before the next paint; a value set by a script
  // fires nothing, so fields are also checked every 100 ms.
  document.addEventListener("input", (e) => e.target && field(e.target), true);
  setInterval(() => { for (const el of document.querySelectorAll("input,textarea")) field(el); }, 100);
  window[KEY] = { use(next) { r = next; scan([document.documentElement]); }, mask: (s) => r.mask(s) };
  scan([document.documentElement]);
})
