package oauthflow

import "time"

// Trace is what Drive saw, written by main as trace.json. It holds no secret:
// tokens, access_token=… values and value_env values are masked ("•••") and
// authorization codes are kept as a fingerprint ("a1b2…"). What was exposed,
// and where, is recorded in Exposures when it is captured, so Assess can
// judge exposure from masked evidence.
type Trace struct {
	StartURL     string `json:"start_url"`
	AuthorizeURL string `json:"authorize_url"` // the prefix that counts as Pinterest's authorize page

	// Steps in the order they ran, each with where it ended and its screenshot.
	Steps []StepRecord `json:"steps"`
	// Navigations are every top-level document request and same-document URL
	// change of every tab the flow used, in order.
	Navigations []Navigation `json:"navigations"`
	// Popup is set when the flow continued in a window the app opened.
	Popup bool `json:"popup,omitempty"`

	// Authorize is the first request to the authorize page; nil if none was seen.
	Authorize *Authorize `json:"authorize,omitempty"`
	// SecondAuthorize is the authorize request of the second connect
	// (Options.StateTwice), made in a fresh tab without the app's cookies.
	SecondAuthorize *Authorize `json:"second_authorize,omitempty"`
	Consent         Consent    `json:"consent"`
	// Callback is the first navigation away from Pinterest after approval.
	Callback *Callback `json:"callback,omitempty"`
	Success  Success   `json:"success"`

	// Pages are the visible texts of the app's pages (bounded, masked), for
	// the token search.
	Pages []PageText `json:"pages,omitempty"`
	// Fields are the form fields seen on the app's pages before the
	// authorize page was reached: where a password or cookie could be asked for.
	Fields []FormField `json:"fields,omitempty"`
	// Snapshots of the app origins' storage and JS-readable cookies, after
	// the callback and at the end.
	Snapshots []Snapshot     `json:"snapshots,omitempty"`
	Console   []ConsoleEntry `json:"console,omitempty"`
	// Exposures are token-shaped values found in raw data before masking.
	Exposures []Exposure `json:"exposures,omitempty"`
	// Network counts what page scripts could read over the network and
	// was searched for tokens (network.go).
	Network NetworkSeen `json:"network"`

	// Terminal is what the command of a terminal flow (oauth.command) did;
	// nil for a web flow.
	Terminal *TerminalRun `json:"terminal,omitempty"`

	// Witness is what the fake Pinterest saw the app do (witness.go): set
	// by the caller of Drive when the authorize page is a fake's.
	Witness *Witness `json:"witness,omitempty"`
	// TrialRefusals are Pinterest's refusals of a Trial app in production
	// (code 29) found in what page scripts read over the network, which
	// the trace does not keep; page texts, console messages and terminal
	// lines are searched when judged.
	TrialRefusals []TrialRefusal `json:"trial_refusals,omitempty"`

	// Stalled says where the flow stopped when it could not go on.
	Stalled *Stall `json:"stalled,omitempty"`

	// Timing is where the flow's wall time went (timing.go).
	Timing Timing `json:"timing"`
}

// StepRecord is one step of the flow.
type StepRecord struct {
	Name       string `json:"name"`    // "open-app", "step-1", "connect", …
	Caption    string `json:"caption"` // the sentence shown in the video
	Tab        string `json:"tab"`     // "tab" or "popup-1"
	URL        string `json:"url,omitempty"`
	Screenshot string `json:"screenshot,omitempty"`
	Error      string `json:"error,omitempty"`
	// DurationMS is the step's wall time: from its start to the next step's,
	// or to the end of the connect.
	DurationMS int64 `json:"duration_ms"`
}

// Navigation is one top-level document request or URL change in a tab.
type Navigation struct {
	Tab  string `json:"tab"`
	Step string `json:"step"` // the step running when it happened
	URL  string `json:"url"`  // masked
	// Status is the HTTP status; a hop of a redirect chain has its 3xx.
	Status int `json:"status,omitempty"`
	// Initiator is who started it: "parser" (a link or form), "script",
	// "redirect", "other" (the driver's own navigation), "same-document".
	Initiator string `json:"initiator,omitempty"`
}

// Authorize is the request that reached Pinterest's authorize page.
type Authorize struct {
	Tab string `json:"tab"`
	URL string `json:"url"` // masked
	// Params are every query parameter, masked; the named fields below are
	// copies of the ones the rules read (RedirectURI masked too: an app
	// may pass a token or userinfo in it).
	Params   map[string]string `json:"params"`
	ClientID string            `json:"client_id"`
	// ClientIDParam is the parameter that carried the client id when it was
	// not client_id: "consumer_id", the name Pinterest's own quickstart
	// scripts send.
	ClientIDParam string `json:"client_id_param,omitempty"`
	RedirectURI   string `json:"redirect_uri"`
	ResponseType  string `json:"response_type"`
	Scope         string `json:"scope"`
	State         string `json:"state"`
	HasState      bool   `json:"has_state"`
	// PKCE is the Proof Key for Code Exchange the app sent (RFC 7636), nil
	// when it sent none. Pinterest does not document PKCE, so it may be
	// ignored; oauth.state says so when it is all that ties the answer to
	// the user's session.
	PKCE       *PKCE  `json:"pkce,omitempty"`
	Screenshot string `json:"screenshot,omitempty"`
}

// PKCE is the code challenge of an authorize request.
type PKCE struct {
	Method    string `json:"method"`    // S256 or plain (plain when the parameter is absent, per RFC 7636)
	Challenge string `json:"challenge"` // as sent; a challenge is public by design
}

// Consent is what happened on Pinterest's consent page.
type Consent struct {
	Shown      bool   `json:"shown"`    // the approve control was visible
	Approved   bool   `json:"approved"` // it was clicked and Pinterest sent the browser on
	URL        string `json:"url,omitempty"`
	Status     int    `json:"status,omitempty"`
	Excerpt    string `json:"excerpt,omitempty"` // the page's text, for a page that is not the consent screen
	Screenshot string `json:"screenshot,omitempty"`
}

// Callback is the navigation that brought the browser back to the app.
type Callback struct {
	Tab      string `json:"tab"`
	URL      string `json:"url"` // masked; the code is a fingerprint
	Status   int    `json:"status,omitempty"`
	HasCode  bool   `json:"has_code"`
	Code     string `json:"code,omitempty"` // fingerprint (redact.CodeFingerprint): at most 4 characters + "…", or ••• for a short code
	State    string `json:"state,omitempty"`
	HasState bool   `json:"has_state"`
	Error    string `json:"error,omitempty"` // the error parameter, e.g. access_denied
	// RedirectedTo is where the callback sent the browser next, if it
	// answered with a redirect instead of a page.
	RedirectedTo string `json:"redirected_to,omitempty"`
	Screenshot   string `json:"screenshot,omitempty"`
	// Video is what the recorded video showed of the callback, set by
	// `record` from the recorder's result (empty when nothing was recorded):
	// VideoRedirectHop, VideoPage or VideoNotShown.
	Video string `json:"video,omitempty"`
}

// What a recorded video showed of the callback (Callback.Video).
const (
	// VideoRedirectHop: the callback answered 3xx and the address bar drew
	// that hop (its URL with the code's fingerprint, marked as a redirect)
	// for at least MinHopShown.
	VideoRedirectHop = "redirect-hop"
	// VideoPage: the callback answered with a page, so the address bar
	// showed its URL with the code while it was on screen.
	VideoPage = "page"
	// VideoNotShown: the callback answered 3xx and the video did not draw
	// the hop: the URL with the code never appeared in it.
	VideoNotShown = "not-shown"
)

// MinHopShown is the least time a drawn redirect hop must stay in the
// address bar to count as shown: long enough to be read.
const MinHopShown = 1500 * time.Millisecond

// Success is the proof of live data after connecting.
type Success struct {
	Proof      string `json:"proof,omitempty"` // `text "Your boards"` or `selector #boards`; empty when none is configured
	Found      bool   `json:"found"`
	URL        string `json:"url,omitempty"`
	Excerpt    string `json:"excerpt,omitempty"`
	Screenshot string `json:"screenshot,omitempty"`
}

// PageText is the visible text of an app page at the end of a step.
type PageText struct {
	Tab   string `json:"tab"`
	Step  string `json:"step"`
	URL   string `json:"url"`
	Title string `json:"title,omitempty"`
	// Heading is the page's main heading (its first h1, else h2), and
	// Alerts the texts of its alert and error boxes: where an OAuth
	// library's failure page says what went wrong.
	Heading         string   `json:"heading,omitempty"`
	Alerts          []string `json:"alerts,omitempty"`
	Text            string   `json:"text"`
	BeforeAuthorize bool     `json:"before_authorize"`
	Screenshot      string   `json:"screenshot,omitempty"`
}

// FormField is a visible input on an app page.
type FormField struct {
	Tab   string `json:"tab"`
	Step  string `json:"step"`
	URL   string `json:"url"`
	Type  string `json:"type"`  // "password", "text", "email", "textarea"
	Field string `json:"field"` // name, id or placeholder of the input
	// FormText is the text around the field (its form's text), masked.
	FormText string `json:"form_text,omitempty"`
	// FilledByStep is set when oauth.steps fill this field: the app's own
	// sign-in, declared by the user, rather than a request for Pinterest's.
	FilledByStep bool   `json:"filled_by_step"`
	Screenshot   string `json:"screenshot,omitempty"`
}

// Snapshot is what scripts of an app origin can read.
type Snapshot struct {
	When           string            `json:"when"` // "after-callback" or "end"
	Origin         string            `json:"origin"`
	LocalStorage   map[string]string `json:"local_storage,omitempty"`
	SessionStorage map[string]string `json:"session_storage,omitempty"`
	Cookies        map[string]string `json:"cookies,omitempty"` // not HttpOnly: document.cookie sees them
}

// ConsoleEntry is one console message of a tab.
type ConsoleEntry struct {
	Tab  string `json:"tab"`
	Type string `json:"type"`
	Text string `json:"text"` // masked, bounded
	URL  string `json:"url,omitempty"`
}

// Exposure is a token-shaped value found where the browser, and so the
// page's scripts or the person watching, can read it.
type Exposure struct {
	// Where: "url", "page-text", "title", "localStorage", "sessionStorage",
	// "cookie", "console", or what page scripts read over the network:
	// "response" (a fetch/XHR body), "html-source", "websocket", "postMessage";
	// or "terminal": a terminal flow's command printed it.
	Where string `json:"where"`
	URL   string `json:"url,omitempty"` // the page or the endpoint, masked
	// Endpoint names what answered: "GET /api/auth/session", a WebSocket
	// URL, the origin that posted a message.
	Endpoint string `json:"endpoint,omitempty"`
	// Path is where in a JSON body the token is: "$.accessToken".
	Path string `json:"path,omitempty"`
	// Line is the line of a terminal flow's output that printed it
	// (Where "terminal").
	Line    int    `json:"line,omitempty"`
	Pattern string `json:"pattern"`           // the rule of internal/redact that matched, or a user's pattern
	Excerpt string `json:"excerpt,omitempty"` // masked context
}

// TrialRefusal is Pinterest's answer to a Trial app creating Pins in
// production, seen where the app passed it on.
type TrialRefusal struct {
	Where    string `json:"where"` // "response" (a fetch/XHR body) or "html-source"
	URL      string `json:"url,omitempty"`
	Endpoint string `json:"endpoint,omitempty"` // "POST /api/pins"
	Excerpt  string `json:"excerpt"`            // masked
}

// NetworkSeen counts what page scripts could read over the network, all
// of it searched for tokens.
type NetworkSeen struct {
	Responses int `json:"responses"`        // fetch/XHR bodies from the app's origins
	Documents int `json:"documents"`        // HTML sources of the app's pages
	Frames    int `json:"websocket_frames"` // text frames of the app's WebSockets
	Messages  int `json:"post_messages"`    // postMessage payloads the app's pages received
}

// Stall says where a flow stopped.
type Stall struct {
	Step       string `json:"step"`
	Tab        string `json:"tab,omitempty"`
	URL        string `json:"url,omitempty"`
	Reason     string `json:"reason"`
	Screenshot string `json:"screenshot,omitempty"`
}
