// pinready's masking script. It runs in an isolated world of every document
// the recorder captures, before the page's own scripts, so that tokens and
// registered secrets are replaced before anything paints: the page's scripts
// cannot read the secret list, and the DOM they share shows "•••".
(function (secrets) {
  const KEY = "__pinreadyMask";
  if (window[KEY]) { window[KEY].add(secrets); return; }
  const DOTS = "\u2022\u2022\u2022";
  // Keep these in step with mask.go.
  const token = /\b(?:pina|pinr|pinc)_[A-Za-z0-9._~+=-]{4,}/g;
  const param = /\b(access_token|refresh_token|client_secret|id_token)(=|"?\s*:\s*"?)([^&\s"'#<,}]+)/gi;
  // Attributes that navigate or submit keep their value: rewriting them would
  // change what the app does. Everything else a page can display is masked.
  const keepAttrs = new Set(["href", "src", "action", "formaction", "value", "name", "id", "class", "style", "for"]);
  const list = [];
  let secretRE = null;
  const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  function add(vals) {
    for (const v of vals || []) if (v && !list.includes(v)) list.push(v);
    list.sort((a, b) => b.length - a.length);
    secretRE = list.length ? new RegExp(list.map(esc).join("|"), "g") : null;
    if (document.documentElement) scan(document.documentElement);
  }
  function mask(s) {
    if (!s) return s;
    let r = s;
    if (secretRE) r = r.replace(secretRE, DOTS);
    return r.replace(token, DOTS).replace(param, (m, k, sep) => k + sep + DOTS);
  }
  // A field that holds a secret, or is being typed towards one, is drawn as
  // discs. Its value stays: the form must still submit what the user typed.
  function typing(v) {
    if (!v) return false;
    if (mask(v) !== v) return true;
    for (const s of list) {
      for (let n = Math.min(s.length, v.length); n >= Math.min(2, s.length); n--) {
        if (v.endsWith(s.slice(0, n))) return true;
      }
    }
    return false;
  }
  function field(el) {
    if (el.type === "password" || !("value" in el)) return;
    if (typing(el.value)) el.style.setProperty("-webkit-text-security", "disc", "important");
  }
  function maskElement(el) {
    for (const a of Array.from(el.attributes || [])) {
      if (keepAttrs.has(a.name) && !(a.name === "value" && /^(button|submit|reset)$/i.test(el.type || ""))) continue;
      const m = mask(a.value);
      if (m !== a.value) el.setAttribute(a.name, m);
    }
    const tag = el.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA") field(el);
  }
  function maskText(n) {
    const m = mask(n.data);
    if (m !== n.data) n.data = m;
  }
  function scan(root) {
    if (root.nodeType === 3) { maskText(root); return; }
    if (root.nodeType !== 1 && root.nodeType !== 9) return;
    if (root.nodeType === 1) maskElement(root);
    const w = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      if (n.nodeType === 3) maskText(n); else maskElement(n);
    }
  }
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "characterData") maskText(r.target);
      else if (r.type === "attributes") maskElement(r.target);
      else for (const n of r.addedNodes) scan(n);
    }
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  // Typing fires input events before the next paint; a value set by a script
  // fires nothing, so fields are also checked every 100 ms.
  document.addEventListener("input", (e) => e.target && field(e.target), true);
  setInterval(() => { for (const el of document.querySelectorAll("input,textarea")) field(el); }, 100);
  window[KEY] = { add, mask };
  add(secrets);
})(__SECRETS__);
