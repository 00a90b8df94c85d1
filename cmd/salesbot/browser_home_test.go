package main

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"salesbot/internal/pgtest"
)

// TestBrowserHomeOpensDeal: in the simulator page, a rep captures a lead,
// opens the Home tab, presses the deal row's Open and finds the deal's card,
// with its buttons, in their messages from salesbot.
func TestBrowserHomeOpensDeal(t *testing.T) {
	chrome := chromiumPath(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dev := startBrowserDev(t, ctx, pgtest.URL(t))
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
