package render

import (
	"strings"
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"
)

func goldenInbound() *pipeline.Inbound {
	return &pipeline.Inbound{Message: "Hi! We need <b>50 seats</b> & a demo.\n<!channel> call me", UTMSource: "google <ads>",
		UTMMedium: "cpc", UTMCampaign: "q4-seats", PageURL: "https://acme.example/pricing?a=1&b=`x`"}
}

func TestGoldenRoutedInboundOffer(t *testing.T) {
	d := goldenDeal()
	d.Stage, d.Inbound = pipeline.StageLead, goldenInbound()
	by := goldenNow.Add(5 * time.Minute)
	m := RoutedOffer(sales.LeadRouted{Deal: d, Reason: "round-robin", RespondBy: by, Timezone: "America/New_York"})
	golden(t, "routed_offer_inbound", messageText(t, m.Text, m.Blocks))
	all := m.Text + string(MustJSON(m.Blocks))
	for _, bad := range []string{"<b>", "<!channel>", "<ads>"} {
		if strings.Contains(all, bad) {
			t.Errorf("the offer shows %q unescaped", bad)
		}
	}
	// A message too long for a card is clipped.
	d.Inbound.Message = strings.Repeat("word ", 400)
	m = RoutedOffer(sales.LeadRouted{Deal: d, Reason: "round-robin", RespondBy: by, Timezone: "America/New_York"})
	if s := string(MustJSON(m.Blocks)); strings.Count(s, "word") > InboundMessageMax/5+1 || !strings.Contains(s, "…") {
		t.Errorf("a long message is not clipped to %d characters", InboundMessageMax)
	}
}

func TestGoldenSpeedNotices(t *testing.T) {
	d := goldenDeal()
	d.Stage, d.Inbound = pipeline.StageLead, goldenInbound()
	missed := Rerouted(sales.LeadRerouted{Deal: d, Manager: "U0MGR", From: "U0REP1", Lapsed: true, To: "U0REP2",
		Reason: "round-robin", MissedBy: goldenNow, Timezone: "America/New_York"})
	stuck := Rerouted(sales.LeadRerouted{Deal: d, Manager: "U0MGR", From: "U0REP1", Lapsed: true,
		MissedBy: goldenNow, Timezone: "America/New_York"})
	dup := DuplicateLeadNotice(sales.DuplicateLead{Deal: d, Inbound: *goldenInbound(), Company: "ACME <b>", Contact: "Jane jane@acme.example"})
	lapsed := OfferLapsedNotice(sales.OfferLapsed{Deal: d, Rep: "U0REP1", To: "U0REP2", MissedBy: goldenNow, Timezone: "America/New_York"})
	timedOut := OfferLapsedNotice(sales.OfferLapsed{Deal: d, Rep: "U0REP1", To: "U0REP2"})
	golden(t, "speed_notices", append([]byte(missed.Text+"\n\n"+stuck.Text+"\n\n"+lapsed.Text+"\n\n"+timedOut.Text+"\n\n"), messageText(t, dup.Text, dup.Blocks)...))
}

func TestSpeedText(t *testing.T) {
	for d, want := range map[time.Duration]string{
		45 * time.Second: "45s", 3*time.Minute + 20*time.Second: "3m 20s", 5 * time.Minute: "5m",
		2*time.Hour + 5*time.Minute: "2h 5m", 28 * time.Hour: "1d 4h", 48 * time.Hour: "2d",
	} {
		if got := SpeedText(d); got != want {
			t.Errorf("SpeedText(%s) = %q, want %q", d, got, want)
		}
	}
}
