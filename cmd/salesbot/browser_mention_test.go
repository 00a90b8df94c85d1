package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"salesbot/internal/pgtest"
	"salesbot/internal/slackfake"
)

// TestBrowserMentions types mentions in the simulator page as a person
// would: `@` and `#` offer people and channels, the picked ones reach
// salesbot as Slack sends them, and the page shows mentions as names and
// short codes as emoji, with typed markup left as text.
func TestBrowserMentions(t *testing.T) {
	chrome := chromiumPath(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dev := startBrowserDev(t, ctx, pgtest.URL(t))
	fake := dev.sim.Fake()
	b := newBrowser(t, ctx, chrome)
	const me = "U01ALEX" // the admin, who may set teams
	b.run("open the page", chromedp.Navigate(dev.sim.URL()+"?as="+me+"&c=C01SALES"),
		chromedp.WaitVisible(`#status.ok`))

	b.run("@ offers people", chromedp.SendKeys(`#composer-input`, "/salesbot team @ma"),
		chromedp.WaitVisible(`#suggestions li[data-kind="person"]`))
	b.waitText(`#suggestions`, "Maria Santos")
	if got := get(b, "people offered for @ma", chromedp.Evaluate[string](
		`[...document.querySelectorAll('#suggestions li .cmd')].map((e) => e.textContent).join(' ')`)); got != "@maria" {
		t.Errorf("offered for @ma: %q, want only @maria", got)
	}
	b.screenshot("mention-suggestions")
	b.run("Enter picks Maria", chromedp.SendKeys(`#composer-input`, "\r"), chromedp.WaitNotVisible(`#suggestions`))
	if v := get(b, "the composer's text", chromedp.Value(`#composer-input`)); v != "/salesbot team @maria " {
		t.Fatalf("composer = %q, want Maria picked", v)
	}
	b.run("@sa offers Maria (Santos) and Sam", chromedp.SendKeys(`#composer-input`, "@sa"),
		chromedp.WaitVisible(`#suggestions li[data-kind="person"]`))
	b.waitText(`#suggestions`, "Sam Chen")
	b.run("the arrow moves to Sam, Tab picks him", chromedp.SendKeys(`#composer-input`, kb.ArrowDown),
		chromedp.SendKeys(`#composer-input`, "\t"), chromedp.WaitNotVisible(`#suggestions`))
	if v := get(b, "the composer's text", chromedp.Value(`#composer-input`)); v != "/salesbot team @maria @sam " {
		t.Fatalf("composer = %q, want the picked names", v)
	}
	b.run("send it", chromedp.SendKeys(`#composer-input`, "\r"))
	cmd := waitEnvelope(t, ctx, fake, func(env slackfake.Envelope) bool {
		return env.Type == "slash_commands" && strings.Contains(string(env.Payload), `"/salesbot"`)
	})
	var p struct{ Text string }
	if err := json.Unmarshal(cmd.Payload, &p); err != nil {
		t.Fatal(err)
	}
	if want := "team <@U02MARIA|maria> <@U03SAM|sam>"; p.Text != want {
		t.Errorf("slash command text = %q, want %q (escaped mentions, as the manifest's should_escape asks)", p.Text, want)
	}
	b.waitText(`#messages`, "now manages")
	answer := get(b, "the answer's text", chromedp.Evaluate[string](`document.querySelector('#messages .msg:last-child .body').innerText`))
	if !strings.Contains(answer, "@maria now manages @sam") || strings.Contains(answer, "U02MARIA") {
		t.Errorf("answer = %q, want Maria named as Sam's manager", answer)
	}
	if !strings.Contains(answer, "👥") || strings.Contains(answer, ":busts_in_silhouette:") {
		t.Errorf("answer = %q, want its short code drawn as an emoji", answer)
	}

	b.run("# offers channels; a click picks one", chromedp.SendKeys(`#composer-input`, "won it, see #wi"),
		chromedp.WaitVisible(`#suggestions li[data-kind="channel"]`))
	b.waitText(`#suggestions`, "#wins")
	b.run("click #wins", chromedp.Click(`#suggestions li[data-kind="channel"]`), chromedp.WaitNotVisible(`#suggestions`))
	b.run("typed markup and @here, then send", chromedp.SendKeys(`#composer-input`, "@here <b>AT&T</b> :tada:\r"))
	b.waitText(`#messages .msg:last-child`, "AT&T")
	mine := get(b, "my message", chromedp.Evaluate[string](`(() => {
		const m = document.querySelector('#messages .msg:last-child .text');
		return JSON.stringify({ text: m.innerText, bold: m.querySelectorAll('b').length,
			mentions: [...m.querySelectorAll('.mention')].map((e) => e.textContent) });
	})()`))
	var got struct {
		Text     string
		Bold     int
		Mentions []string
	}
	if err := json.Unmarshal([]byte(mine), &got); err != nil {
		t.Fatal(err)
	}
	if got.Text != "won it, see #wins @here <b>AT&T</b> 🎉" || got.Bold != 0 || strings.Join(got.Mentions, " ") != "#wins @here" {
		t.Errorf("my message shows %+v, want the mentions as names, the markup as typed text and the emoji drawn", got)
	}
	msgs := fake.Messages("C01SALES")
	if last := msgs[len(msgs)-1].Text; last != "won it, see <#C02WINS|wins> <!here> &lt;b&gt;AT&amp;T&lt;/b&gt; :tada:" {
		t.Errorf("message sent as %q, want Slack's form", last)
	}

	// salesbot's own words: a short code in a message drawn as its emoji, a
	// code nobody knows left as text, a mention and a link by their names.
	postAsBot(t, ctx, fake, me, ":tada: D-1 won",
		`[{"type":"section","text":{"type":"mrkdwn","text":":tada: *D-1 · Acme* won by <@U03SAM> · <https://example.com/d/1|open> :not_an_emoji:"}}]`)
	b.run("the DM", chromedp.Click(`[data-conv="D`+me+`"]`))
	b.waitText(`#messages .msg:last-child`, "won by")
	bot := get(b, "the bot's message", chromedp.Evaluate[string](`document.querySelector('#messages .msg:last-child .block').innerText`))
	if want := "🎉 D-1 · Acme won by @sam · open :not_an_emoji:"; bot != want {
		t.Errorf("bot message shows %q, want %q", bot, want)
	}
	href := get(b, "the link", chromedp.AttributeValue(`#messages .msg:last-child .block a`, "href"))
	if href.Value != "https://example.com/d/1" {
		t.Errorf("link goes to %q", href.Value)
	}
}
