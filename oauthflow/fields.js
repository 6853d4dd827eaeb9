// fields lists the visible form fields of the page (inputs a person could
// type a password or paste a cookie into), the text of the form or block
// around each, and whether one of the config's fill selectors names it.
(function (fillSelectors) {
  const out = [];
  const sel = 'input:not([type]), input[type=text], input[type=password], input[type=email], textarea';
  for (const e of document.querySelectorAll(sel)) {
    const r = e.getBoundingClientRect();
    const s = getComputedStyle(e);
    if (r.width <= 0 || r.height <= 0 || s.visibility === 'hidden' || s.display === 'none') continue;
    let filled = false;
    for (const f of fillSelectors) {
      try { if (e.matches(f)) filled = true; } catch (_) { /* not CSS */ }
    }
    const box = e.form || e.closest('label, fieldset, section, article, div') || document.body;
    out.push({
      type: e.tagName === 'TEXTAREA' ? 'textarea' : (e.getAttribute('type') || 'text').toLowerCase(),
      field: e.name || e.id || e.placeholder || e.tagName.toLowerCase(),
      formText: (box.innerText || '').replace(/\s+/g, ' ').trim().slice(0, 600),
      filled: filled,
    });
  }
  return out;
})
