package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/slack-go/slack"

	"salesbot/commands"
	"salesbot/internal/slackfake"
	"salesbot/notices"
	"salesbot/pipeline"
	"salesbot/sales/salesdb"
)

// slashModal types a slash command that opens a modal and returns the modal
// and the command's response_url (where the card is redrawn).
func (h *harness) slashModal(user, command, text string) (slack.View, string) {
	h.t.Helper()
	id, err := h.fake.SendSlashCommand(h.ctx, slackfake.SlashCommand{
		TeamID: h.team, ChannelID: "C0SALES", UserID: user, UserName: strings.ToLower(user), Command: command, Text: text,
	})
	if err != nil {
		h.t.Fatal(err)
	}
	h.ack(id)
	env, _ := h.fake.Envelope(id)
	var p struct {
		TriggerID   string `json:"trigger_id"`
		ResponseURL string `json:"response_url"`
	}
	json.Unmarshal(env.Payload, &p)
	return h.modalFor(p.TriggerID), p.ResponseURL
}

func TestQualifyScoresAndMoves(t *testing.T) {
	h := setup(t)
	icp, _ := h.slashModal("U0ADMIN", "/salesbot", "icp")
	h.submit("U0ADMIN", icp, map[string]string{"Industries": "Software, Fintech", "Company sizes": "51-200"})
	if _, err := h.fake.WaitMessage(h.ctx, "DU0ADMIN", func(m slackfake.Message) bool { return strings.Contains(m.Text, "Ideal customer profile saved") }); err != nil {
		t.Fatalf("ICP not confirmed: %v", err)
	}
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Globex", "Industry": "software", "Company size": "51-200",
		"Source": "referral", "Estimated value": "12000", "Owner": "U0MARIA"})
	ref := fmt.Sprintf("D-%d", n)
	h.svc.bot.WaitHandlers()
	if c := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND number = $2 AND score = 30`, h.team, n); c != 1 {
		t.Errorf("a new lead is not scored on fit, value and source (want 30)")
	}

	view, url := h.slashModal("U0MARIA", "/lead", "qualify "+ref)
	ack, _ := h.submit("U0MARIA", view, map[string]string{"Outcome": "disqualified"})
	for _, field := range []string{"budget", "authority", "timing", "disqualify_reason"} {
		if !strings.Contains(string(ack.Payload), field) {
			t.Errorf("no inline error for %s: %s", field, ack.Payload)
		}
	}
	h.submit("U0MARIA", view, map[string]string{"Budget confirmed": "yes", "Budget range": "10-20k",
		"Authority": "decision_maker", "Need": "Pipeline visibility", "Timing": "1_3_months"})
	card := h.responseTo(url)
	for _, want := range []string{ref + " qualified: score 90/100", "Qualified", "90/100",
		"Why the score: +15 budget confirmed · +20 decision maker · +15 need stated · +10 buying 1–3 months · +5 value estimated · +10 industry fits (software) · +10 size fits (51-200) · +5 warm source (referral)"} {
		if !strings.Contains(card.all(), want) {
			t.Errorf("card lacks %q:\n%s", want, card.all())
		}
	}
	h.svc.bot.WaitHandlers()
	if c := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND number = $2 AND stage = 'qualified' AND score = 90
		AND qualification->'bant'->>'authority' = 'decision_maker'`, h.team, n); c != 1 {
		t.Error("the deal is not qualified with score 90 and its answers")
	}
	if c := h.count(`SELECT count(*) FROM deal_history hi JOIN deals d ON d.id = hi.deal_id
		WHERE d.workspace_id = $1 AND d.number = $2 AND hi.action IN ('qualified', 'stage')`, h.team, n); c != 2 {
		t.Errorf("history has %d qualified/stage entries, want 2", c)
	}

	// A logged activity counts as engagement: the score follows.
	h.command("U0MARIA", "/deal", "note "+ref+" demo booked")
	if c := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND number = $2 AND score = 93`, h.team, n); c != 1 {
		t.Error("the score did not follow the new activity (want 93)")
	}

	// A new ideal customer profile rescores open deals at once.
	icp, _ = h.slashModal("U0ADMIN", "/salesbot", "icp")
	if ack, _ := h.submit("U0ADMIN", icp, map[string]string{"Industries": strings.Repeat("x", 120)}); !strings.Contains(string(ack.Payload), "too long") {
		t.Errorf("an over-long industry was accepted: %s", ack.Payload)
	}
	h.submit("U0ADMIN", icp, map[string]string{"Industries": "Retail"})
	h.svc.bot.WaitHandlers()
	if c := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND number = $2 AND score = 83`, h.team, n); c != 1 {
		t.Error("the ICP change did not rescore the deal (want 83)")
	}

	// Qualifying again starts from the previous answers.
	again, _ := h.slashModal("U0MARIA", "/lead", "qualify "+ref)
	shown := map[string]string{}
	for _, b := range again.Blocks.BlockSet {
		if in, ok := b.(*slack.InputBlock); ok {
			shown[in.Label.Text] = initialValue(in.Element)
		}
	}
	if shown["Budget confirmed"] != "yes" || shown["Authority"] != "decision_maker" || shown["Need"] != "Pipeline visibility" || shown["Timing"] != "1_3_months" {
		t.Errorf("the form does not show the previous answers: %v", shown)
	}

	// Disqualifying closes the lead as lost, with the reason.
	m := h.newDeal("U0MARIA", map[string]string{"Company": "Initrode", "Owner": "U0MARIA"})
	view, url = h.slashModal("U0MARIA", "/lead", fmt.Sprintf("qualify D-%d", m))
	h.submit("U0MARIA", view, map[string]string{"Budget confirmed": "no", "Authority": "none", "Timing": "unknown",
		"Outcome": "disqualified", "Disqualification reason": "no budget this year"})
	if r := h.responseTo(url); !strings.Contains(r.all(), "disqualified and closed as lost") {
		t.Errorf("disqualify answer: %s", r.all())
	}
	h.svc.bot.WaitHandlers()
	if c := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND number = $2 AND stage = 'lost' AND lost_reason = 'Disqualified: no budget this year'`, h.team, m); c != 1 {
		t.Error("the disqualified lead is not lost with its reason")
	}
	if r := h.command("U0MARIA", "/lead", "qualify"); !strings.Contains(r.all(), "/lead qualify D-42") {
		t.Errorf("qualify without a deal: %s", r.all())
	}
}

func TestRoutingHandoffAndTimeout(t *testing.T) {
	h := setup(t)
	h.fake.AddUser(slackfake.User{ID: "U0ABE", Name: "abe", Deleted: true})
	h.command("U0ADMIN", "/salesbot", "team <@U0MGR> <@U0ANN> <@U0BOB>")
	for _, rep := range []string{"U0ABE", "U0DAN"} {
		h.command(rep, "/salesbot", "away off")
	}
	if r := h.command("U0BOB", "/salesbot", "route industry=Fintech <@U0BOB>"); !strings.Contains(r.all(), "Only admins (<@U0ADMIN>) can change routing") {
		t.Errorf("a rep added a rule: %s", r.all())
	}
	if r := h.command("U0ADMIN", "/salesbot", "route industry=Fintech size=huge <@U0BOB>"); !strings.Contains(r.all(), "size \"huge\"") {
		t.Errorf("bad rule: %s", r.all())
	}
	if r := h.command("U0ADMIN", "/salesbot", "route industry=Fintech <@U0BOB>"); !strings.Contains(r.all(), "1. industry=Fintech → <@U0BOB>") {
		t.Fatalf("rule not saved: %s", r.all())
	}

	// No owner: the rule routes it to Bob, who is asked to accept it.
	n := h.newDeal("U0ADMIN", map[string]string{"Company": "Fincorp", "Industry": "Fintech", "Owner": ""})
	ref := fmt.Sprintf("D-%d", n)
	offer, err := h.fake.WaitMessage(h.ctx, "DU0BOB", func(m slackfake.Message) bool { return strings.Contains(m.Text, ref) })
	if err != nil {
		t.Fatalf("Bob got no offer: %v", err)
	}
	if !strings.Contains(blockText(offer.Blocks), "rule 1 (industry=Fintech)") {
		t.Errorf("the offer does not say why: %s", blockText(offer.Blocks))
	}

	// Bob rejects: the next eligible rep is Ann (Abe's Slack account is
	// deactivated), and their manager is told.
	h.click("U0BOB", offer, "Reject")
	annOffer, err := h.fake.WaitMessage(h.ctx, "DU0ANN", func(m slackfake.Message) bool { return strings.Contains(m.Text, ref) })
	if err != nil {
		t.Fatalf("Ann got no offer: %v", err)
	}
	findButton(t, annOffer.Blocks, "Accept")
	if _, err := h.fake.WaitMessage(h.ctx, "DU0MGR", func(m slackfake.Message) bool {
		return strings.Contains(m.Text, "<@U0BOB> rejected it "+ref) && strings.Contains(m.Text, "went to <@U0ANN>")
	}); err != nil {
		t.Errorf("the manager was not told: %v", err)
	}
	h.svc.bot.WaitHandlers()
	if c := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND number = $2 AND owner_id = 'U0ANN'
		AND handoff_state = 'pending' AND 'U0BOB' = ANY(handoff_declined)`, h.team, n); c != 1 {
		t.Error("the lead is not pending with Ann after Bob's rejection")
	}
	if c := h.count(`SELECT count(*) FROM users WHERE workspace_id = $1 AND id = 'U0ABE' AND deactivated`, h.team); c != 1 {
		t.Error("Abe's deactivated account was not noted")
	}

	// Ann does not answer: after the timeout (4 working hours; Tuesday
	// 10:00 to Friday 10:00 holds more) it goes to Dan. The database
	// stamped the offer with its own clock: the test sets it.
	offered := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	h.sql(`UPDATE deals SET handoff_offered_at = $3 WHERE workspace_id = $1 AND number = $2`, h.team, n, offered)
	app := h.svc.sales
	if err := app.RerouteExpiredHandoffs(h.ctx, h.team, offered.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if c := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND number = $2 AND owner_id = 'U0ANN'`, h.team, n); c != 1 {
		t.Error("a lead offered an hour ago was re-routed (timeout is 4 hours)")
	}
	later := offered.Add(72 * time.Hour)
	if err := app.RerouteExpiredHandoffs(h.ctx, h.team, later); err != nil {
		t.Fatal(err)
	}
	if _, err := h.fake.WaitMessage(h.ctx, "DU0DAN", func(m slackfake.Message) bool { return strings.Contains(m.Text, ref) }); err != nil {
		t.Fatalf("Dan got no offer after Ann's timeout: %v", err)
	}
	if _, err := h.fake.WaitMessage(h.ctx, "DU0MGR", func(m slackfake.Message) bool {
		return strings.Contains(m.Text, "<@U0ANN> did not answer in time "+ref)
	}); err != nil {
		t.Errorf("the manager was not told of the timeout: %v", err)
	}
	// Dan lets it lapse too (Friday 10:00 to Monday 10:00 holds 8 working
	// hours): nobody is left, so it stays and the creator hears.
	h.sql(`UPDATE deals SET handoff_offered_at = $3 WHERE workspace_id = $1 AND number = $2`, h.team, n, later)
	if err := app.RerouteExpiredHandoffs(h.ctx, h.team, later.Add(72*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.fake.WaitMessage(h.ctx, "DU0ADMIN", func(m slackfake.Message) bool {
		return strings.Contains(m.Text, "no other rep can take it")
	}); err != nil {
		t.Errorf("nobody was told the lead is stuck: %v", err)
	}
	if c := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND number = $2 AND owner_id = 'U0DAN' AND handoff_state = 'none'`, h.team, n); c != 1 {
		t.Error("the lead did not stay with Dan")
	}
	if err := app.RerouteExpiredHandoffs(h.ctx, h.team, later.Add(144*time.Hour)); err != nil {
		t.Fatal(err)
	}
}

// Leads routed at the same moment through RouteLead go to different reps.
func TestRouteLeadConcurrent(t *testing.T) {
	h := setup(t)
	reps := []string{"U0R1", "U0R2", "U0R3", "U0R4"}
	for _, rep := range reps {
		h.command(rep, "/salesbot", "away off")
	}
	h.command("U0R4", "/salesbot", "away on")
	app := salesdb.New(salesdb.Deps{Store: h.svc.store, Outbox: salesdb.OutboxOf(h.svc.outbox, notices.Message),
		Directory: commands.SalesDirectory(h.svc.api)})
	for round := range 2 {
		got := make([]string, 3)
		errs := make([]error, 3)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range got {
			wg.Go(func() {
				<-start
				errs[i] = h.svc.store.WithTx(h.ctx, func(tx *sqlx.Tx) error {
					var err error
					got[i], err = app.RouteLead(h.ctx, tx, pipeline.NewLead{WorkspaceID: h.team, Company: "Acme"})
					return err
				})
			})
		}
		close(start)
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		if want := reps[:3]; !slices.Equal(got, want) {
			t.Errorf("round %d: three leads at once went to %v, want one each to %v (U0R4 is away)", round, got, want)
		}
	}
}
