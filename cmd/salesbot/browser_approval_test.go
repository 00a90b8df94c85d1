package main

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"salesbot/internal/pgtest"
)

// clickButton clicks the button labelled label in the newest message of
// the open conversation that has one.
func (b *browser) clickButton(step, label string) {
	b.t.Helper()
	js := `(() => { const bs = [...document.querySelectorAll('#messages .msg button')].filter((e) => e.textContent.trim() === ` + jsString(label) + `);
		if (!bs.length) return false; bs[bs.length - 1].click(); return true; })()`
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](js)); err != nil {
		b.t.Fatalf("%s: no %q button: %v", step, label, err)
	}
}

// TestBrowserApprovals: in the simulator page, the admin turns approvals
// on in the settings form, Sam asks for a discount with Request approval on
// his deal's card, and Maria, his manager, approves it from her DM; Sam
// hears it and his card shows it.
func TestBrowserApprovals(t *testing.T) {
	chrome := chromiumPath(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dev := startBrowserDev(t, ctx, pgtest.URL(t))
	b := newBrowser(t, ctx, chrome)
	as := func(user, channel string) {
		b.run("open the page as "+user, chromedp.Navigate(dev.sim.URL()+"?as="+user+"&c="+channel), chromedp.WaitVisible(`#status.ok`))
	}

	as("U01ALEX", "C01SALES")
	b.run("/salesbot settings opens the form", chromedp.SendKeys(`#composer-input`, "/salesbot settings\r"), chromedp.WaitVisible(`dialog#modal[open]`))
	b.run("approval above 10%", chromedp.SendKeys(`#in-approval_over`, "10"), chromedp.Click(`dialog [type=submit]`),
		chromedp.WaitNotPresent(`dialog#modal[open]`))
	b.run("the admin's DM", chromedp.Click(`[data-conv="DU01ALEX"]`))
	b.waitText(`#messages`, "Settings saved")

	as("U03SAM", "C01SALES")
	b.run("/lead new Approvo opens the modal", chromedp.SendKeys(`#composer-input`, "/lead new Approvo\r"), chromedp.WaitVisible(`dialog#modal[open]`))
	b.run("with a value", chromedp.SendKeys(`#in-value`, "12,500"), chromedp.Click(`dialog [type=submit]`), chromedp.WaitNotPresent(`dialog#modal[open]`))
	b.run("Sam's DM", chromedp.Click(`[data-conv="DU03SAM"]`))
	b.waitText(`#messages`, "created")
	text := get(b, "the confirmation", chromedp.Evaluate[string](`document.querySelector('#messages').innerText`))
	ref := regexp.MustCompile(`D-\d+`).FindString(text)
	if ref == "" {
		t.Fatalf("no deal number in %q", text)
	}
	b.run("back to #sales", chromedp.Click(`[data-conv="C01SALES"]`))
	b.run("/deal "+ref, chromedp.SendKeys(`#composer-input`, "/deal "+ref+"\r"))
	b.waitText(`#messages`, "Request approval")
	b.clickButton("the card", "Request approval")
	b.run("the form opens", chromedp.WaitVisible(`dialog#modal[open]`))
	b.run("20% for a reason", chromedp.SendKeys(`#in-discount`, "20"), chromedp.SendKeys(`#in-approval_reason`, "multi-year"),
		chromedp.Click(`dialog [type=submit]`), chromedp.WaitNotPresent(`dialog#modal[open]`))
	b.waitText(`#messages`, "approval pending from")

	as("U02MARIA", "DU02MARIA")
	b.waitText(`#messages`, "asks you to approve 20% off $12,500")
	b.clickButton("the request", "Approve")
	b.waitText(`#messages`, "You approved 20% off $12,500")

	as("U03SAM", "DU03SAM")
	b.waitText(`#messages`, "approved 20% off $12,500 (price $10,000) on "+ref)
	b.run("back to #sales", chromedp.Click(`[data-conv="C01SALES"]`))
	b.run("/deal "+ref, chromedp.SendKeys(`#composer-input`, "/deal "+ref+"\r"))
	b.waitText(`#messages`, "approved by @maria at $10,000")
}
