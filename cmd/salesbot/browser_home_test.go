package main

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"salesbot/config"
	"salesbot/internal/pgtest"
)

// startBrowserDev starts `salesbot dev` on a fresh database for a browser
// test and stops it when the test ends.
func startBrowserDev(t *testing.T, ctx context.Context) *devService {
	t.Helper()
	env := map[string]string{"DATABASE_URL": pgtest.URL(t), "SIM_ADDR": "127.0.0.1:0", "HTTP_ADDR": "127.0.0.1:0"}
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

// TestBrowserHomeOpensDeal: in the simulator page, a rep captures a lead,
// opens the Home tab, presses the deal row's Open and finds the deal's card,
// with its buttons, in their messages from salesbot.
func TestBrowserHomeOpensDeal(t *testing.T) {
	chrome := chromiumPath(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dev := startBrowserDev(t, ctx)
	b := newBrowser(t, ctx, chrome)
	const me = "U03SAM"
	b.run("open the page", chromedp.Navigate(dev.sim.URL()+"?as="+me+"&c=C01SALES"), chromedp.WaitVisible(`#status.ok`))

	b.run("/lead new Homeward opens the modal", chromedp.SendKeys(`#composer-input`, "/lead new Homeward\r"),
		chromedp.WaitVisible(`dialog#modal[open]`))
	b.run("save it", chromedp.Click(`dialog [type=submit]`), chromedp.WaitNotPresent(`dialog#modal[open]`))
	b.run("the confirmation arrives", chromedp.Click(`[data-conv="D`+me+`"]`))
	b.waitText(`#messages`, "created")

	b.run("open App Home", chromedp.Click(`#tab-home`), chromedp.WaitVisible(`#home [data-block-id^="home_open_"] button`))
	b.waitText(`#home`, "Homeward")
	b.run("press the deal row's Open", chromedp.Click(`#home [data-block-id^="home_open_"] button`))

	b.run("back to the messages", chromedp.Click(`#tab-messages`), chromedp.WaitVisible(`#messages`))
	b.waitText(`#messages .msg:last-child`, "Homeward")
	b.waitText(`#messages .msg:last-child`, "Move stage")
	b.waitText(`#messages .msg:last-child`, "Stage")
}
