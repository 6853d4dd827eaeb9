package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/draw"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pinready/pinready/checks"
	"github.com/pinready/pinready/demo"
	"github.com/pinready/pinready/internal/browser/browsertest"
	"github.com/pinready/pinready/internal/example"
	"github.com/pinready/pinready/internal/ocrtest"
	"github.com/pinready/pinready/internal/sampleapp"
	"github.com/pinready/pinready/internal/testkit"
	"github.com/pinready/pinready/oauthflow"
)

// `record` on apps built the two mainstream ways, read back the way a
// reviewer reads the video. An Auth.js-like app answers its callback with
// 302 to /dashboard: OCR of the encoded video's address bar finds a frame
// showing the callback URL with code= (cut to its fingerprint) marked as a
// redirect, and oauth.callback says the video shows that hop. A Go app
// answers its callback with the dashboard itself: the callback's own URL
// with the code is in the address bar, and oauth.callback says so. In both,
// the step images are pairwise different in order, the approval image is
// the consent page with the cursor on Give access, and no caption shows CSS.
func TestRecordShowsWhatItsCaptionsClaim(t *testing.T) {
	browsertest.Require(t)
	ocrtest.RequireTools(t, "ffmpeg", "ffprobe", "tesseract")
	for _, c := range []struct {
		stack, callbackPath, message string
		hop                          bool
	}{
		{sampleapp.StackAuthJS, sampleapp.AuthJSCallbackPath, "the callback answered 302 to /dashboard; the video shows the redirect hop with the code", true},
		{sampleapp.StackGo, "/oauth/callback", "the video shows the callback URL with the code in the address bar", false},
	} {
		t.Run("stack="+c.stack, func(t *testing.T) {
			w := testkit.World(t, example.Options{Stack: c.stack})
			dir := t.TempDir()
			cfgPath := filepath.Join(dir, "pinready.yaml")
			if err := os.WriteFile(cfgPath, []byte(w.Config()), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg, err := checks.LoadConfig(cfgPath)
			if err != nil {
				t.Fatal(err)
			}
			var progress strings.Builder
			env := Env{Rules: testkit.Rules(t), Tool: checks.Tool{Name: "pinready", Version: "test"}, Progress: &progress,
				Getenv: func(string) string { return "" }}
			ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
			defer cancel()
			out := filepath.Join(dir, "out")
			res, err := Record(ctx, env, cfg, RecordOptions{Out: out, Pace: 600 * time.Millisecond, Timeout: 20 * time.Second, Resolve: w.Resolve})
			if err != nil {
				t.Fatalf("Record: %v\n%s", err, progress.String())
			}
			findings := map[string]checks.Finding{}
			for _, f := range res.Report.Findings {
				findings[f.Rule] = f
			}
			cb := findings["oauth.callback"]
			if cb.Status != checks.StatusPass || !strings.Contains(cb.Message, c.message) {
				t.Errorf("oauth.callback: %s %q, want a pass saying %q", cb.Status, cb.Message, c.message)
			}
			var trace oauthflow.Trace
			data, _ := os.ReadFile(filepath.Join(out, "trace.json"))
			if err := json.Unmarshal(data, &trace); err != nil || trace.Callback == nil {
				t.Fatalf("trace.json: %v", err)
			}

			// The video, as a reviewer sees it: the callback URL with code=
			// in the address bar, and what the message claims about it.
			callbackURL := strings.TrimPrefix(strings.TrimSuffix(w.AppURL, "/"), "http://") + c.callbackPath + "?code="
			bars := ocrAddressBars(t, res.Video.Video, demo.Options{Width: 1920, Height: 1080})
			var shown string
			for _, line := range bars {
				if strings.Contains(ocrtest.Squash(line), callbackURL) {
					shown = line
					break
				}
			}
			if shown == "" {
				t.Fatalf("no frame of the video shows %s in its address bar; OCR read:\n%s", callbackURL, strings.Join(bars, "\n"))
			}
			// The drawn text holds at most 4 characters of the code: checked
			// exactly below, on the text the recorder drew. OCR of the frame
			// reads the ellipsis as dots and now and then one letter as two
			// ("WB7R" as "WB/7R", "SERN" as "S5ERN"), and the codes are
			// random, so the frame is held to what OCR can tell for sure: no
			// more than a fingerprint's worth of the code (8 characters; the
			// fake Pinterest's codes have 48).
			if code := regexp.MustCompile(`code=([^&\s….]*)`).FindStringSubmatch(ocrtest.Squash(shown)); code == nil ||
				len(regexp.MustCompile(`[^A-Za-z0-9_-]`).ReplaceAllString(code[1], "")) > 8 {
				t.Errorf("the address bar shows more of the code than its fingerprint: %q", shown)
			}
			for _, hop := range res.Video.Redirects {
				if code := regexp.MustCompile(`code=([^&…]*)`).FindStringSubmatch(hop.URL); code == nil || len(code[1]) > 4 {
					t.Errorf("the drawn hop %q shows more than 4 characters of the code", hop.URL)
				}
			}
			// OCR now and then reads the 0 of "302" as "@" or "O": the mark
			// is the word "redirect" and a 3xx-shaped status; the drawn hop
			// itself is checked exactly below.
			if redirect := regexp.MustCompile(`redirect\s+3\S2`).MatchString(shown); redirect != c.hop {
				t.Errorf("the frame with the callback URL is marked as a redirect: %t, want %t: %q", redirect, c.hop, shown)
			}
			if c.hop {
				if trace.Callback.Video != oauthflow.VideoRedirectHop || len(res.Video.Redirects) != 1 || res.Video.Redirects[0].Shown < oauthflow.MinHopShown {
					t.Errorf("callback %+v, drawn hops %+v", trace.Callback, res.Video.Redirects)
				}
				// Exactly on the text the recorder drew; on the frame, as
				// for the code, within what OCR can tell for sure (it now
				// and then reads one letter as two, or the ellipsis as one).
				for _, hop := range res.Video.Redirects {
					if st := regexp.MustCompile(`state=([^&…]*)`).FindStringSubmatch(hop.URL); st == nil || len([]rune(st[1])) > 6 {
						t.Errorf("the drawn hop's state is not shortened: %q", hop.URL)
					}
				}
				if st := regexp.MustCompile(`state=([^&\s….]*)`).FindStringSubmatch(ocrtest.Squash(shown)); st == nil || len([]rune(st[1])) > 8 {
					t.Errorf("the hop's state is not shortened: %q", shown)
				}
			} else if trace.Callback.Video != oauthflow.VideoPage || len(res.Video.Redirects) != 0 {
				t.Errorf("callback %+v, drawn hops %+v", trace.Callback, res.Video.Redirects)
			}

			// The step images: each the moment of its action, no two alike
			// above the caption band (which always differs: it holds the
			// step's number).
			steps := map[string]string{}
			var imgs []image.Image
			for _, s := range res.Video.Steps {
				steps[s.Name] = s.Path
				imgs = append(imgs, ocrtest.DecodePNG(t, s.Path))
			}
			for i := range imgs {
				for j := i + 1; j < len(imgs); j++ {
					if n := differingPixels(imgs[i], imgs[j], 1080-200); n < 400 {
						t.Errorf("step images %d (%s) and %d (%s) are the same picture above the caption (%d pixels differ)",
							i+1, res.Video.Steps[i].Name, j+1, res.Video.Steps[j].Name, n)
					}
				}
			}
			for _, want := range []string{"open-app", "connect", "consent", "approve", "callback", "live-data"} {
				if steps[want] == "" {
					t.Fatalf("no step image for %s: %+v", want, res.Video.Steps)
				}
			}
			// Lines joined: the heading may wrap.
			consent := flat(ocrtest.Region(t, ocrtest.DecodePNG(t, steps["consent"]), image.Rect(0, 0, 1920, 1080), "3"))
			for _, want := range []string{"Give access to Acme Pin Planner?", "See your public boards", "boards:read"} {
				if !strings.Contains(consent, want) {
					t.Errorf("the consent step image lacks %q:\n%s", want, consent)
				}
			}
			approve := flat(ocrtest.Region(t, ocrtest.DecodePNG(t, steps["approve"]), image.Rect(0, 0, 1920, 1080), "3"))
			for _, want := range []string{"Give access to Acme Pin Planner?", "See your user accounts", "Cancel", "Click Give access"} {
				if !strings.Contains(approve, want) {
					t.Errorf("the approval step image lacks %q:\n%s", want, approve)
				}
			}
			callbackBar := ocrtest.Squash(ocrtest.Region(t, ocrtest.DecodePNG(t, steps["callback"]), demo.AddressBar(demo.Options{}), "7"))
			if !strings.Contains(callbackBar, callbackURL) || strings.Contains(callbackBar, "redirect302") != c.hop {
				t.Errorf("the callback step image's address bar reads %q, want %s (marked as a redirect: %t)", callbackBar, callbackURL, c.hop)
			}
			live := flat(ocrtest.Region(t, ocrtest.DecodePNG(t, steps["live-data"]), image.Rect(0, 126, 1920, 1080), "3"))
			if !strings.Contains(live, "Weeknight Dinners") || !strings.Contains(live, "Small Garden Ideas") {
				t.Errorf("the live-data step image does not show the data:\n%s", live)
			}
			for _, s := range trace.Steps {
				if strings.ContainsAny(s.Caption, "#[") || strings.Contains(s.Caption, "text=") {
					t.Errorf("step %s's caption shows a selector: %q", s.Name, s.Caption)
				}
			}
			// The progress lines on stderr name the same controls.
			stepLines := 0
			for _, line := range strings.Split(progress.String(), "\n") {
				if !strings.HasPrefix(line, "oauth: ") && !strings.HasPrefix(line, "demo: step ") {
					continue
				}
				stepLines++
				if strings.ContainsAny(line, "#[") || strings.Contains(line, "text=") {
					t.Errorf("a progress line shows a selector: %q", line)
				}
			}
			if stepLines < 12 {
				t.Errorf("%d step lines on stderr, want one per step from the driver and one from the recorder", stepLines)
			}
			if t.Failed() {
				t.Logf("progress:\n%s", progress.String())
			}
			if keep := os.Getenv("PINREADY_RECORD_KEEP"); keep != "" { // to look at the output
				dst := filepath.Join(keep, c.stack+"-stack")
				os.RemoveAll(dst)
				os.MkdirAll(keep, 0o755)
				if err := os.Rename(out, dst); err != nil {
					exec.Command("cp", "-r", out, dst).Run()
				}
			}
		})
	}
}

// ocrAddressBars reads the address bar of the video 4 times a second: the
// bars are stacked 40 to an image, one OCR line per frame.
func ocrAddressBars(t *testing.T, video string, o demo.Options) []string {
	t.Helper()
	r := demo.AddressBar(o)
	vf := fmt.Sprintf("fps=4,crop=%d:%d:%d:%d,scale=iw*2:ih*2:flags=bicubic,tile=1x40", r.Dx(), r.Dy(), r.Min.X, r.Min.Y)
	var lines []string
	for _, p := range ocrtest.Frames(t, video, vf) {
		lines = append(lines, ocrtest.Lines(ocrtest.File(t, p, "6"))...)
	}
	return lines
}

// flat joins OCR's lines with single spaces.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// differingPixels counts the pixels above row maxY that differ visibly
// between a and b (the caption band below maxY always differs: it holds
// the step number).
func differingPixels(a, b image.Image, maxY int) int {
	ra, rb := toRGBA(a), toRGBA(b)
	n := 0
	r := ra.Rect.Intersect(rb.Rect)
	for y := r.Min.Y; y < min(maxY, r.Max.Y); y++ {
		pa, pb := ra.Pix[ra.PixOffset(r.Min.X, y):], rb.Pix[rb.PixOffset(r.Min.X, y):]
		for i := 0; i < r.Dx()*4; i += 4 {
			if diff(uint32(pa[i]), uint32(pb[i])) > 24 || diff(uint32(pa[i+1]), uint32(pb[i+1])) > 24 || diff(uint32(pa[i+2]), uint32(pb[i+2])) > 24 {
				n++
			}
		}
	}
	return n
}

func toRGBA(img image.Image) *image.RGBA {
	if r, ok := img.(*image.RGBA); ok {
		return r
	}
	r := image.NewRGBA(img.Bounds())
	draw.Draw(r, r.Rect, img, r.Rect.Min, draw.Src)
	return r
}

func diff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}
