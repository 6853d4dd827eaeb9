package oauthflow

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/chromedp/chromedp"

	"github.com/pinready/pinready/checks"
)

// secretFieldJS describes the field a fill selector reaches (a CSS
// selector, or text= naming a label), for literalIntoSecret: its type and
// every name a person or a password manager reads it by.
const secretFieldJS = `(function (sel) {
  let el = null;
  try {
    if (sel.startsWith("text=")) {
      const want = sel.slice(5).replace(/\s+/g, " ").trim();
      for (const e of document.querySelectorAll("label, body *")) {
        if ((e.innerText || "").replace(/\s+/g, " ").trim() === want) { el = e.control || e.querySelector("input, textarea") || e; break; }
      }
    } else {
      el = document.querySelector(sel);
    }
  } catch (_) { return null; }
  if (!el) return null;
  const labels = Array.from(el.labels || []).map((l) => l.innerText);
  return {
    type: (el.getAttribute("type") || "").toLowerCase(),
    names: [el.name, el.id, el.getAttribute("autocomplete"), el.getAttribute("placeholder"), el.getAttribute("aria-label")].concat(labels).filter(Boolean).join(" "),
  };
})`

// fillTarget is what secretFieldJS says of a field.
type fillTarget struct {
	Type  string `json:"type"`
	Names string `json:"names"`
}

// literalIntoSecret refuses a step that would type a literal value: into a
// password input, or into a field whose name, id, autocomplete, placeholder
// or label says password, secret or token. The config check sees only the
// selector; this sees the field. The value would be in clear in the trace,
// the screenshots and the video, so it is a configuration error (exit 2)
// that points at value_env, and nothing is typed.
func (d *driver) literalIntoSecret(t *tab, s checks.Step) error {
	if s.Value == "" || s.ValueEnv != "" {
		return nil
	}
	if _, err := d.waitElement(t, s.Fill); err != nil {
		return nil // the fill itself reports a field that never appears
	}
	ctx, cancel := context.WithTimeout(t.ctx, d.o.Timeout)
	defer cancel()
	arg, _ := json.Marshal(s.Fill)
	field, err := chromedp.Run(ctx, chromedp.Evaluate[*fillTarget](fmt.Sprintf("(%s)(%s)", secretFieldJS, arg)))
	if err != nil || field == nil {
		return nil
	}
	kind := checks.SecretField(field.Names)
	if field.Type == "password" {
		kind = "password input"
	} else if kind != "" {
		kind += " field"
	}
	if kind == "" {
		return nil
	}
	field2 := s.Field + ".value"
	return &checks.ConfigError{File: d.cfg.File, Line: d.cfg.Line(field2), Field: field2,
		Msg: fmt.Sprintf("fill %s reached a %s: value: would type it in clear into trace.json, the screenshots and the video; "+
			"put it in an environment variable and name that with value_env (e.g. value_env: ACME_PASSWORD) instead of value:", s.Fill, kind)}
}
