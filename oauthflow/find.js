// find locates the first visible element for a pinready selector: CSS, or
// "text=…" for the deepest visible element whose trimmed text is exactly that.
// It returns null when there is none, {error} for a bad selector, else the
// centre of the element's box in viewport CSS pixels and its text.
(function (sel, scroll) {
  function visible(el) {
    const r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) return false;
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none' && parseFloat(s.opacity || '1') > 0;
  }
  function norm(t) { return (t || '').replace(/\s+/g, ' ').trim(); }
  function textOf(el) {
    if (el.tagName === 'INPUT') return norm(el.value);
    return norm(el.innerText);
  }
  let el = null;
  try {
    if (sel.startsWith('text=')) {
      const want = norm(sel.slice(5));
      for (const e of document.querySelectorAll('body *')) {
        if (el && !el.contains(e)) break; // past the first match's subtree
        if (e.tagName === 'SCRIPT' || e.tagName === 'STYLE') continue;
        if (textOf(e) === want && visible(e)) el = e;
      }
    } else {
      for (const e of document.querySelectorAll(sel)) {
        if (visible(e)) { el = e; break; }
      }
    }
  } catch (err) {
    return { error: String(err.message || err) };
  }
  if (!el) return null;
  if (scroll) el.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
  const r = el.getBoundingClientRect();
  return {
    x: r.left + r.width / 2,
    y: r.top + r.height / 2,
    text: (textOf(el) || norm(el.getAttribute('aria-label')) || norm(el.getAttribute('title'))).slice(0, 80),
  };
})
