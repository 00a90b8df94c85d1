package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"salesbot/internal/pgtest"
	"salesbot/internal/slackfake"
	"salesbot/simulator"
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

// TestBrowserSellingTogether: in the simulator page, the admin turns
// approvals on in the settings form; Sam makes a lead and opens its deal
// room from the card; in the room, with the card pinned, he asks for a
// discount with Request approval; Maria, his manager and a member of the
// room, approves it from her DM, and the room shows both steps. Then Sam
// writes about the customer in #sales and adds that message to the deal
// with the Add to deal shortcut from the message's menu: the room shows it
// too.
func TestBrowserSellingTogether(t *testing.T) {
	chrome := chromiumPath(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dev := startBrowserDev(t, ctx, pgtest.Fresh(t))
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
	b.waitText(`#messages`, "Open deal room")
	b.clickButton("the card", "Open deal room")

	// The room appears among the channels once salesbot made it.
	name := "deal-" + strings.TrimPrefix(ref, "D-") + "-approvo"
	room := get(b, "the room in the sidebar", chromedp.Poll[string](`(() => {
		const c = [...document.querySelectorAll('#channel-list [data-conv]')].find((e) => e.textContent.includes(`+jsString(name)+`));
		return c ? c.dataset.conv : null; })()`))
	if _, err := dev.sim.Fake().WaitMessage(ctx, "DU03SAM", func(m slackfake.Message) bool { return strings.Contains(m.Text, "is open for "+ref) }); err != nil {
		t.Fatalf("Sam was not told the room is open: %v", err)
	}
	var stored string
	if err := dev.svc.db.QueryRowContext(ctx, `SELECT channel_id FROM deal_rooms r JOIN deals d ON d.id = r.deal_id
		WHERE r.workspace_id = $1 AND d.number = $2 AND r.state = 'open'`, simulator.TeamID, strings.TrimPrefix(ref, "D-")).Scan(&stored); err != nil || stored != room {
		t.Fatalf("the room #%s is %s in the page, %q stored (%v)", name, room, stored, err)
	}
	b.run("open the room", chromedp.Click(`[data-conv="`+room+`"]`))
	b.waitText(`#messages`, "Pinned")
	b.screenshot("deal-room")

	b.clickButton("the pinned card", "Request approval")
	b.run("the form opens", chromedp.WaitVisible(`dialog#modal[open]`))
	b.run("20% for a reason", chromedp.SendKeys(`#in-discount`, "20"), chromedp.SendKeys(`#in-approval_reason`, "multi-year"),
		chromedp.Click(`dialog [type=submit]`), chromedp.WaitNotPresent(`dialog#modal[open]`))
	b.waitText(`#messages`, "20%")

	as("U02MARIA", "DU02MARIA")
	b.waitText(`#messages`, "asks you to approve 20% off $12,500")
	b.clickButton("the request", "Approve")
	b.waitText(`#messages`, "You approved 20% off $12,500")
	b.run("Maria is in the room", chromedp.Click(`[data-conv="`+room+`"]`))
	b.waitText(`#messages`, "approved")

	as("U03SAM", "DU03SAM")
	b.waitText(`#messages`, "approved 20% off $12,500 (price $10,000) on "+ref)

	// Add to deal: a message in #sales, from the message's "…" menu.
	b.run("back to #sales", chromedp.Click(`[data-conv="C01SALES"]`))
	const said = "Approvo wants SSO <before> they sign"
	b.run("Sam writes about the customer", chromedp.SendKeys(`#composer-input`, said+"\r"))
	b.waitText(`#messages .msg:last-child`, "wants SSO")
	get(b, "its menu offers Add to deal", chromedp.Evaluate[bool](`(() => {
		const m = [...document.querySelectorAll('#messages .msg')].filter((e) => e.innerText.includes('wants SSO')).pop();
		m.querySelector('.more').click();
		[...m.querySelectorAll('[role=menuitem]')].find((e) => e.textContent === 'Add to deal').click();
		return true; })()`))
	b.run("the form opens", chromedp.WaitVisible(`dialog#modal[open]`))
	b.waitText(`#modal`, ref+" · Approvo")
	if g := get(b, "the suggestion's group", chromedp.Evaluate[string](`document.querySelector('#in-capture_deal optgroup').label`)); g != "Named in the message" {
		t.Errorf("the deal is offered under %q, want it named in the message", g)
	}
	b.screenshot("add-to-deal")
	if v := get(b, "choose the deal", chromedp.Evaluate[string](`(() => { const s = document.querySelector('dialog select#in-capture_deal');
		const o = [...s.options].find((o) => o.textContent.startsWith(`+jsString(ref+" · ")+`));
		s.value = o.value; s.dispatchEvent(new Event('change', { bubbles: true })); return s.selectedOptions[0].textContent; })()`)); !strings.HasPrefix(v, ref) {
		t.Fatalf("chose %q, want %s", v, ref)
	}
	b.run("add it", chromedp.Click(`dialog [type=submit]`), chromedp.WaitNotPresent(`dialog#modal[open]`))
	b.run("Sam's DM", chromedp.Click(`[data-conv="DU03SAM"]`))
	b.waitText(`#messages`, "Added")
	var body, permalink string
	if err := dev.svc.db.QueryRowContext(ctx, `SELECT a.body, a.source_permalink FROM activities a JOIN deals d ON d.id = a.deal_id
		WHERE a.workspace_id = $1 AND d.number = $2 AND a.kind = 'message'`, simulator.TeamID, strings.TrimPrefix(ref, "D-")).Scan(&body, &permalink); err != nil {
		t.Fatalf("the message is not on the deal: %v", err)
	}
	if body != said || permalink == "" {
		t.Errorf("logged %q with permalink %q, want the message as written and its link", body, permalink)
	}
	b.run("the room", chromedp.Click(`[data-conv="`+room+`"]`))
	b.waitText(`#messages`, "wants SSO <before>")
}
