// Masks tokens and secrets in the page for one evidence screenshot, and
// returns how many places it changed; window.__pinreadyUnmask() puts
// everything back, so the flow and pinready's own reads (which must still
// find an exposed token) see the page unchanged.
// redact: the page masker of internal/redact, built with this run's rules
// (Masker.PageMasker): it holds the grammar, this script only applies it.
(function (redact) {
  const undo = [];
  const root = document.documentElement;
  if (root) {
    // The rendered text of every element: split and re-cased secrets too.
    redact.maskTree(root, (node, old) => undo.push(() => { node.data = old; }));
    for (const el of document.querySelectorAll("input, textarea")) {
      // A field's value must stay what it is (the form submits it): draw it as discs.
      if (el.type !== "password" && redact.hides(el.value)) {
        undo.push(((e, old) => () => { e.style.webkitTextSecurity = old; })(el, el.style.webkitTextSecurity));
        el.style.webkitTextSecurity = "disc";
      }
      const ph = el.getAttribute("placeholder");
      if (ph && redact.mask(ph) !== ph) {
        undo.push(((e, old) => () => { e.setAttribute("placeholder", old); })(el, ph));
        el.setAttribute("placeholder", redact.mask(ph));
      }
    }
  }
  window.__pinreadyUnmask = () => {
    for (let i = undo.length - 1; i >= 0; i--) undo[i]();
    delete window.__pinreadyUnmask;
  };
  return undo.length;
})
