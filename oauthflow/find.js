// find locates the first visible element for a pinready selector: CSS, or
// "text=…" for the deepest visible element whose trimmed text is exactly that.
// It returns null when there is none, {error} for a bad selector, else the
// centre and box of the element in viewport CSS pixels, its text, and its
// name: what a person sees of it (see nameOf).
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
  // nameOf is what a person sees of a control, nearly its accessible name:
  // aria-labelledby, aria-label, a button's own text or value, a field's
  // label or placeholder, an image's alt, a title. A field's value is never
  // its name (it may be a password).
  function nameOf(el) {
    const by = (el.getAttribute('aria-labelledby') || '').split(/\s+/)
      .map(id => id && document.getElementById(id)).filter(Boolean).map(e => norm(e.innerText)).join(' ');
    if (norm(by)) return norm(by);
    const aria = norm(el.getAttribute('aria-label'));
    if (aria) return aria;
    const tag = el.tagName;
    const type = (el.getAttribute('type') || '').toLowerCase();
    if (tag === 'INPUT' && ['submit', 'button', 'reset'].includes(type) && norm(el.value)) return norm(el.value);
    if (tag === 'INPUT' && type === 'image' && norm(el.alt)) return norm(el.alt);
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') {
      const labels = Array.from(el.labels || []).map(l => {
        // A label wrapping its field: only its own words, not the field's.
        const c = l.cloneNode(true);
        c.querySelectorAll('input, textarea, select, option').forEach(e => e.remove());
        return norm(c.textContent);
      }).filter(Boolean);
      if (labels.length) return labels.join(' ');
      const ph = norm(el.getAttribute('placeholder'));
      if (ph) return ph;
    } else {
      // Its first line: a card's heading, not the whole card.
      const t = norm((el.innerText || '').split('\n').find(l => norm(l)));
      if (t) return t;
      if (tag === 'IMG' && norm(el.alt)) return norm(el.alt);
      const img = el.querySelector('img[alt]');
      if (img && norm(img.alt)) return norm(img.alt);
    }
    return norm(el.getAttribute('title'));
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
  if (scroll) {
    // Scroll as little as brings the control into the part of the window
    // the video keeps clear (the caption band covers the bottom), so the
    // page around it, a heading above it, stays in view.
    const top = innerHeight * 0.12, bottom = innerHeight * 0.78;
    const r0 = el.getBoundingClientRect();
    let dy = 0;
    if (r0.bottom > bottom) dy = Math.min(r0.bottom - bottom, r0.top - top);
    else if (r0.top < top) dy = r0.top - top;
    if (dy) window.scrollBy({ top: dy, behavior: 'instant' });
    const r1 = el.getBoundingClientRect();
    if (r1.top < 0 || r1.bottom > innerHeight || r1.left < 0 || r1.right > innerWidth) {
      el.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' }); // in a scrolled box
    }
  }
  const r = el.getBoundingClientRect();
  return {
    x: r.left + r.width / 2,
    y: r.top + r.height / 2,
    left: r.left,
    top: r.top,
    w: r.width,
    h: r.height,
    text: (textOf(el) || norm(el.getAttribute('aria-label')) || norm(el.getAttribute('title'))).slice(0, 80),
    name: nameOf(el).slice(0, 120),
    tag: el.tagName.toLowerCase(),
  };
})
