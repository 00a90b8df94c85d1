package main

import (
	"context"
	"encoding/json"
	"flag"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"salesbot/config"
	"salesbot/internal/slackfake"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "save screenshots of the simulator to docs/screenshots")

// chromiumPath finds Chromium, or skips the test (fails it in CI, where
// scripts/test installs Debian's chromium package).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is missing: scripts/test installs Debian's chromium package when it runs as root")
	}
	t.Skip("no Chromium: install Debian's chromium package (apt-get install chromium) to run the browser test")
	return ""
}

// browser is one headless Chromium tab with a fresh profile.
type browser struct {
	t   *testing.T
	ctx context.Context
}

func newBrowser(t *testing.T, ctx context.Context, chrome string) *browser {
	t.Helper()
	profile, err := os.MkdirTemp("", "salesbot-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chrome), chromedp.UserDataDir(profile), chromedp.WindowSize(1280, 860),
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true), chromedp.Flag("no-default-browser-check", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelTab := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc() // waits for Chromium to exit, so its profile can go
		os.RemoveAll(profile)
	})
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return &browser{t: t, ctx: bctx}
}

func (b *browser) run(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", step, err)
	}
}

// get runs one action that returns a value.
func get[T any](b *browser, step string, action chromedp.Action[T]) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, action)
	if err != nil {
		b.t.Fatalf("%s: %v", step, err)
	}
	return v
}

// waitText waits until the element's text contains want; the page updates
// live, so this is a poll in the page, not a sleep.
func (b *browser) waitText(sel, want string) {
	b.t.Helper()
	js := `(() => { const e = document.querySelector(` + jsString(sel) + `); return !!e && e.textContent.includes(` + jsString(want) + `); })()`
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](js)); err != nil {
		text, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body.innerText`))
		b.t.Fatalf("waiting for %q in %s: %v\npage text:\n%s", want, sel, err, text)
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// screenshot saves the viewport to docs/screenshots/<name>.png when asked to.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	if !*updateScreenshots && os.Getenv("UPDATE_SCREENSHOTS") != "1" {
		return
	}
	png := get(b, "screenshot "+name, chromedp.CaptureScreenshot())
	dir := filepath.Join("..", "..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// waitEnvelope returns the first envelope the bot was sent that match
// accepts, waiting for the fake's next change when there is none yet.
func waitEnvelope(t *testing.T, ctx context.Context, fake *slackfake.Server, match func(slackfake.Envelope) bool) slackfake.Envelope {
	t.Helper()
	for {
		changed := fake.Changes()
		for _, env := range fake.Envelopes() {
			if match(env) {
				return env
			}
		}
		select {
		case <-changed:
		case <-ctx.Done():
			t.Fatalf("no such envelope: %v", ctx.Err())
		}
	}
}

// postAsBot posts a message to a user's DM through the simulator's Web API
// with the bot's token, the way salesbot posts.
func postAsBot(t *testing.T, ctx context.Context, fake *slackfake.Server, user, text, blocks string) {
	t.Helper()
	callAsBot(t, ctx, fake, "chat.postMessage", url.Values{"channel": {user}, "text": {text}, "blocks": {blocks}})
}

func publishHomeAsBot(t *testing.T, ctx context.Context, fake *slackfake.Server, user string) {
	t.Helper()
	view := `{"type":"home","blocks":[{"type":"header","text":{"type":"plain_text","text":"Your pipeline"}},` +
		`{"type":"section","text":{"type":"mrkdwn","text":"*1* open deal · nothing overdue"}},` +
		`{"type":"actions","elements":[{"type":"button","action_id":"home_new_lead","text":{"type":"plain_text","text":"New lead"},"style":"primary"}]}]}`
	callAsBot(t, ctx, fake, "views.publish", url.Values{"user_id": {user}, "view": {view}})
}

func callAsBot(t *testing.T, ctx context.Context, fake *slackfake.Server, method string, form url.Values) {
	t.Helper()
	form.Set("token", devBotToken)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, fake.APIURL()+method, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct {
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || !r.OK {
		t.Fatalf("%s: %v %s", method, err, r.Error)
	}
}

// startBrowserDev starts `salesbot dev` on the database at dbURL for a
// browser test, waits for the bot to connect to the simulator, and stops it
// when the test ends.
func startBrowserDev(t *testing.T, ctx context.Context, dbURL string) *devService {
	t.Helper()
	env := map[string]string{"DATABASE_URL": dbURL, "SIM_ADDR": "127.0.0.1:0", "HTTP_ADDR": "127.0.0.1:0"}
	cfg, err := config.Load(func(k string) string { return env[k] }, false)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
	dev, err := startDev(ctx, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- dev.serve(runCtx) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		dev.close()
	})
	if err := dev.sim.Fake().WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
	return dev
}
