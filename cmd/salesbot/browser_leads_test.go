package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"salesbot/internal/pgtest"
	"salesbot/internal/slackfake"
	"salesbot/simulator"
)

// TestBrowserWebsiteForm: in the simulator page, the "Leads from your
// website" panel shows the form snippet with the form key; submitting the
// live form (to the API, from the page's origin) lands a lead routed to a
// rep, whose DM in the simulator shows the offer.
func TestBrowserWebsiteForm(t *testing.T) {
	chrome := chromiumPath(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dev := startBrowserDev(t, ctx, pgtest.Fresh(t))
	b := newBrowser(t, ctx, chrome)
	const alex = "U01ALEX"
	b.run("open the page as Alex", chromedp.Navigate(dev.sim.URL()+"?as="+alex+"&c=C01SALES"),
		chromedp.WaitVisible(`#status.ok`))
	b.run("open the panel", chromedp.Click(`#leads-toggle`), chromedp.WaitVisible(`#leads-form`))
	b.waitText(`#leads-snippet`, `action="http://`+dev.svc.apiAddr()+`/v1/leads?key=sb_form_`)
	b.waitText(`#leads-curl`, "Authorization: Bearer sb_secret_")
	b.screenshot("website-form")

	const company = "Initech <Web> & Co"
	b.run("fill in the form", chromedp.SendKeys(`#leads-form [name=company]`, company),
		chromedp.SendKeys(`#leads-form [name=contact_name]`, "Bill Lumbergh"),
		chromedp.SendKeys(`#leads-form [name=contact_email]`, "bill@initech.example"),
		chromedp.SendKeys(`#leads-form [name=message]`, "We need TPS reports"))
	b.run("send it", chromedp.Click(`#leads-form [type=submit]`))

	offer, err := dev.sim.Fake().WaitCall(ctx, "chat.postMessage", func(c slackfake.Call) bool {
		return strings.Contains(c.Param("text"), "Initech &lt;Web&gt; &amp; Co")
	})
	if err != nil {
		t.Fatalf("no offer DM for the lead: %v", err)
	}
	var owner string
	if err := dev.svc.db.QueryRowContext(ctx, `SELECT d.owner_id FROM deals d JOIN accounts a ON a.id = d.account_id
		WHERE d.workspace_id = $1 AND a.name = $2`, simulator.TeamID, company).Scan(&owner); err != nil {
		t.Fatalf("the lead is not stored: %v", err)
	}
	if owner != "U03SAM" && owner != "U04PRIYA" || offer.Param("channel") != owner {
		t.Fatalf("the lead went to %s and its offer to %s; want one of the reps, the same", owner, offer.Param("channel"))
	}

	b.run("open the rep's DM", chromedp.Navigate(dev.sim.URL()+"?as="+owner+"&c=D"+owner), chromedp.WaitVisible(`#status.ok`))
	b.waitText(`#messages`, "routed to you")
	b.waitText(`#messages`, company)
}
