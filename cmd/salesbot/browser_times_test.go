package main

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"salesbot/internal/pgtest"
	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// TestBrowserTimesInTheViewersZone posts a deal's history, as the bot words
// it, to #sales and reads it in the simulator page as two people: Sam in Los
// Angeles and Priya in London see the same entry at their own clock time
// (Slack's date token drawn for the viewer), never the fallback's zone.
func TestBrowserTimesInTheViewersZone(t *testing.T) {
	chrome := chromiumPath(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dev := startBrowserDev(t, ctx, pgtest.URL(t))
	fake := dev.sim.Fake()

	// The history as the bot renders it, its fallback in Sam's zone.
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	entry := time.Date(2026, 12, 4, 22, 0, 0, 0, time.UTC)
	msg := render.History(sales.DealHistory{
		Deal:    pipeline.Deal{Number: 1, AccountName: "Acme"},
		Entries: []pipeline.HistoryEntry{{Action: "note", ActorID: "U03SAM", NewValue: "Called Jane", CreatedAt: entry}},
	}, la)
	blocks, err := json.Marshal(msg.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	callAsBot(t, ctx, fake, "chat.postMessage", url.Values{"channel": {"C01SALES"}, "text": {msg.Text}, "blocks": {string(blocks)}})

	b := newBrowser(t, ctx, chrome)
	for _, viewer := range []struct{ id, clock, not string }{
		{"U03SAM", "2:00 PM", "22:00"},   // Los Angeles, a 12-hour clock
		{"U04PRIYA", "22:00", "2:00 PM"}, // London, a 24-hour clock
	} {
		b.run("open #sales as "+viewer.id, chromedp.Navigate(dev.sim.URL()+"?as="+viewer.id+"&c=C01SALES"),
			chromedp.WaitVisible(`#status.ok`))
		b.waitText(`#messages`, "Called Jane")
		line := get(b, "the entry's time as "+viewer.id, chromedp.Evaluate[string](
			`[...document.querySelectorAll('#messages .msg')].map((m) => m.innerText).find((s) => s.includes('Called Jane')) || ''`))
		when := get(b, "the drawn date token", chromedp.Evaluate[string](
			`(() => { const m = [...document.querySelectorAll('#messages .msg')].find((m) => m.innerText.includes('Called Jane'));`+
				` const d = m && m.querySelector('time.date'); return d ? d.textContent : ''; })()`))
		if !strings.Contains(when, " at "+viewer.clock) || strings.Contains(line, viewer.not) || strings.Contains(line, "PST") {
			t.Errorf("%s sees the entry at %q in:\n%s\nwant %s, their own clock, drawn from the token", viewer.id, when, line, viewer.clock)
		}
	}
}
