package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"salesbot/internal/pgtest"
	"salesbot/internal/slackfake"
)

// TestBrowserSimulator drives the simulator page of `salesbot dev` in
// headless Chromium, as a person would: slash commands with suggestions, the
// New lead modal with an inline error, the confirmation, a button, the Home
// tab. With -update-screenshots (or UPDATE_SCREENSHOTS=1) it saves the main
// screens to docs/screenshots for the README.
func TestBrowserSimulator(t *testing.T) {
	chrome := chromiumPath(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dev := startBrowserDev(t, ctx, pgtest.URL(t))
	fake := dev.sim.Fake()
	b := newBrowser(t, ctx, chrome)
	const me = "U03SAM"
	b.run("open the page", chromedp.Navigate(dev.sim.URL()+"?as="+me+"&c=C01SALES"),
		chromedp.WaitVisible(`#status.ok`))

	b.run("slash commands are offered as you type", chromedp.SendKeys(`#composer-input`, "/"),
		chromedp.WaitVisible(`#suggestions li`))
	b.waitText(`#suggestions`, "/lead")
	b.waitText(`#suggestions`, "/salesbot")
	b.screenshot("slash-commands")

	b.run("/salesbot help", chromedp.SendKeys(`#composer-input`, "salesbot help\r"))
	b.waitText(`#messages`, "Only visible to you")
	b.waitText(`#messages`, "/lead new")
	b.screenshot("help")

	b.run("/lead new Acme opens the modal", chromedp.SendKeys(`#composer-input`, "/lead new Acme\r"),
		chromedp.WaitVisible(`dialog#modal[open]`))
	b.waitText(`#modal-title`, "New lead")
	company := get(b, "the company is prefilled", chromedp.Value(`#in-company`))
	if company != "Acme" {
		t.Errorf("Company = %q, want Acme", company)
	}
	b.run("a bad email", chromedp.SendKeys(`#in-contact_name`, "Jane Doe"),
		chromedp.SendKeys(`#in-contact_email`, "jane-at-acme"), chromedp.SendKeys(`#in-value`, "12,500"),
		chromedp.SetValue(`#in-source`, "5"), chromedp.Click(`dialog [type=submit]`),
		chromedp.WaitVisible(`[data-block-id="contact_email"] .field-error`))
	b.waitText(`[data-block-id="contact_email"] .field-error`, "mail")
	b.screenshot("new-lead-modal")

	get(b, "clear the email", chromedp.Evaluate[bool](`(document.querySelector('#in-contact_email').value = '', true)`))
	b.run("fix it and submit", chromedp.SendKeys(`#in-contact_email`, "jane@acme.example"), chromedp.Click(`dialog [type=submit]`),
		chromedp.WaitNotPresent(`dialog#modal[open]`))
	b.run("the confirmation arrives in the DM", chromedp.Click(`[data-conv="D`+me+`"]`))
	b.waitText(`#messages`, "Acme")
	b.waitText(`#messages`, "created")
	b.screenshot("lead-created")

	clickAButton(t, ctx, b, dev, me)

	b.run("open App Home", chromedp.Click(`#tab-home`), chromedp.WaitVisible(`#home`))
	home := waitEnvelope(t, ctx, fake, func(env slackfake.Envelope) bool {
		return env.Type == "events_api" && strings.Contains(string(env.Payload), `"app_home_opened"`)
	})
	if _, err := fake.WaitAck(ctx, home.ID); err != nil {
		t.Fatalf("app_home_opened was not acked: %v", err)
	}
	showHome(t, ctx, b, fake, me)
	b.screenshot("app-home")
}

// clickAButton clicks the first button of the lead's confirmation card when
// it has one; otherwise it posts a message with a button through the
// simulator's Web API, as the bot would, and clicks that. Either way the bot
// must receive a block_actions envelope shaped like Slack's, and ack it.
func clickAButton(t *testing.T, ctx context.Context, b *browser, dev *devService, me string) {
	fake := dev.sim.Fake()
	hasButton := get(b, "look for a button on the card", chromedp.Evaluate[bool](
		`!!document.querySelector('#messages .msg:last-child button.btn')`))
	if hasButton {
		t.Log("clicking the first button of the confirmation card")
	} else {
		t.Log("the confirmation card has no button: posting a message with one through the Web API")
		blocks := `[{"type":"section","text":{"type":"mrkdwn","text":"*D-1 · Acme* is waiting for you."}},` +
			`{"type":"actions","block_id":"test_actions","elements":[{"type":"button","action_id":"test_open",` +
			`"text":{"type":"plain_text","text":"Open deal"},"value":"D-1","style":"primary"}]}]`
		postAsBot(t, ctx, fake, me, "D-1 is waiting for you", blocks)
		b.waitText(`#messages .msg:last-child`, "Open deal")
	}
	ts := get(b, "the message's ts", chromedp.AttributeValue(`#messages .msg:last-child`, "data-ts")).Value
	b.run("click it", chromedp.Click(`#messages .msg:last-child button.btn`))
	env := waitEnvelope(t, ctx, fake, func(env slackfake.Envelope) bool {
		return env.Type == "interactive" && strings.Contains(string(env.Payload), `"block_actions"`)
	})
	var p struct {
		Type      string `json:"type"`
		TriggerID string `json:"trigger_id"`
		User      struct{ ID string }
		Container struct {
			Type      string `json:"type"`
			MessageTS string `json:"message_ts"`
			ChannelID string `json:"channel_id"`
		} `json:"container"`
		Channel     struct{ ID string }
		Message     struct{ TS string }
		ResponseURL string `json:"response_url"`
		Actions     []struct {
			ActionID string `json:"action_id"`
			BlockID  string `json:"block_id"`
			Type     string `json:"type"`
			Value    string `json:"value"`
		} `json:"actions"`
	}
	if err := json.Unmarshal(env.Payload, &p); err != nil {
		t.Fatal(err)
	}
	if p.User.ID != me || p.TriggerID == "" || p.ResponseURL == "" || p.Container.Type != "message" ||
		p.Container.MessageTS != ts || p.Message.TS != ts || p.Channel.ID != "D"+me || p.Container.ChannelID != "D"+me ||
		len(p.Actions) != 1 || p.Actions[0].Type != "button" || p.Actions[0].ActionID == "" || p.Actions[0].BlockID == "" {
		t.Errorf("block_actions payload is not shaped like Slack's:\n%s", env.Payload)
	}
	if _, err := fake.WaitAck(ctx, env.ID); err != nil {
		t.Fatalf("the button's block_actions was not acked: %v", err)
	}
	// A button may open a modal (a deal's Move stage, say) after its ack:
	// once the bot's work for the click is done, close what it opened.
	dev.svc.bot.WaitHandlers()
	for _, c := range fake.Calls("views.open") {
		if c.Param("trigger_id") == p.TriggerID {
			b.run("the button opened a modal", chromedp.WaitVisible(`dialog#modal[open]`))
			b.screenshot("deal-button-modal")
			b.run("close it", chromedp.Click(`dialog#modal .x`), chromedp.WaitNotPresent(`dialog#modal[open]`))
		}
	}
}

// showHome waits for the Home tab the bot publishes for me; when this version
// of the bot publishes none, the test publishes one as the bot, so rendering
// of the Home surface is checked either way.
func showHome(t *testing.T, ctx context.Context, b *browser, fake *slackfake.Server, me string) {
	wctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	_, err := fake.WaitCall(wctx, "views.publish", func(c slackfake.Call) bool { return c.Param("user_id") == me })
	cancel()
	if err != nil {
		t.Log("the bot published no Home tab: publishing one through the Web API")
		publishHomeAsBot(t, ctx, fake, me)
	}
	b.run("the Home tab shows blocks", chromedp.WaitVisible(`#home .block`))
}
