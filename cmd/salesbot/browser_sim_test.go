package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"salesbot/internal/pgtest"
	"salesbot/simulator"
)

// TestBrowserSimulatorFirstStart drives a fresh `salesbot dev` (an empty
// database) as Maria: she adds demo data from the page, `/lead list all`
// answers with her team's leads (before, she was a rep and was refused), and
// winning one of them is announced in #wins (before, no channel was set and
// nothing was posted).
func TestBrowserSimulatorFirstStart(t *testing.T) {
	chrome := chromiumPath(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dev := startBrowserDev(t, ctx, pgtest.Fresh(t))
	b := newBrowser(t, ctx, chrome)
	const maria = "U02MARIA"
	b.run("open the page as Maria", chromedp.Navigate(dev.sim.URL()+"?as="+maria+"&c=C01SALES"),
		chromedp.WaitVisible(`#status.ok`))
	b.run("add demo data from the page", chromedp.Click(`#demo-data`))
	b.waitText(`#messages`, "Demo data added to workspace "+simulator.TeamID)

	// Sam's most recently active lead is listed first.
	var lead struct {
		Number int64  `db:"number"`
		Title  string `db:"title"`
	}
	if err := dev.svc.db.GetContext(ctx, &lead, `SELECT number, title FROM deals
		WHERE workspace_id = $1 AND owner_id = 'U03SAM' AND stage = 'lead'
		ORDER BY last_activity_at DESC LIMIT 1`, simulator.TeamID); err != nil {
		t.Fatalf("no open lead of Sam's in the demo data: %v", err)
	}
	b.run("/lead list all", chromedp.SendKeys(`#composer-input`, "/lead list all\r"))
	b.waitText(`#messages`, "Open leads of your team")
	b.waitText(`#messages`, lead.Title)
	if text := get(b, "the page's text", chromedp.Evaluate[string](`document.querySelector("#messages").innerText`)); strings.Contains(text, "A rep sees their own leads") {
		t.Errorf("Maria was answered as a rep:\n%s", text)
	}

	ref := fmt.Sprintf("D-%d", lead.Number)
	b.run("win Sam's lead", chromedp.SendKeys(`#composer-input`, "/deal won "+ref+"\r"))
	b.run("open #wins", chromedp.Click(`[data-conv="C02WINS"]`))
	b.waitText(`#messages`, "Open "+ref)
}
