package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"salesbot/internal/pgtest"
	"salesbot/internal/slackfake"
)

// setCelebrationChannel saves the settings modal as the admin.
func (h *harness) setCelebrationChannel(channel string) {
	h.t.Helper()
	_, trigger := h.slash("U0ADMIN", "/salesbot", "settings")
	view := h.modalFor(trigger)
	ack, _ := h.submit("U0ADMIN", view, map[string]string{"Celebration channel": channel})
	if len(ack.Payload) > 0 && string(ack.Payload) != "null" {
		h.t.Fatalf("settings rejected: %s", ack.Payload)
	}
	if _, err := h.fake.WaitMessage(h.ctx, "DU0ADMIN", func(m slackfake.Message) bool { return strings.Contains(m.Text, "Settings saved") }); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) stageOf(n int64) string {
	h.t.Helper()
	var s string
	if err := h.svc.db.GetContext(h.ctx, &s, `SELECT stage FROM deals WHERE workspace_id = $1 AND number = $2`, h.team, n); err != nil {
		h.t.Fatal(err)
	}
	return s
}

func TestDealThroughEveryStageToWonIsAnnouncedOnce(t *testing.T) {
	h := setup(t)
	h.setCelebrationChannel("C0WINS")
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Acme", "Estimated value": "12,500", "Source": "referral"})
	ref := fmt.Sprintf("D-%d", n)
	for _, stage := range []string{"qualified", "needs assessment", "proposal", "neg"} {
		r := h.command("U0MARIA", "/deal", "move "+ref+" "+stage)
		if !strings.Contains(r.all(), "moved from") {
			t.Fatalf("move to %s: %s", stage, r.all())
		}
	}
	if s := h.stageOf(n); s != "negotiation" {
		t.Fatalf("stage = %s", s)
	}

	// The card's Won button opens a modal; saving it redraws the card.
	h.command("U0MARIA", "/deal", ref)
	cardMsg := h.lastMessage("C0SALES", ref)
	view := h.modalFor(h.click("U0MARIA", cardMsg, "Won"))
	if ack, _ := h.submit("U0MARIA", view, map[string]string{"Final amount": "15,000"}); len(ack.Payload) > 0 && string(ack.Payload) != "null" {
		t.Fatalf("won modal rejected: %s", ack.Payload)
	}
	h.svc.bot.WaitHandlers()
	after := h.lastMessage("C0SALES", ref)
	if after.TS != cardMsg.TS || after.Edits == 0 || !strings.Contains(blockText(after.Blocks), "Closed-won") {
		t.Errorf("the card was not redrawn as won: %+v", after)
	}

	ann, err := h.fake.WaitMessage(h.ctx, "C0WINS", nil)
	if err != nil {
		t.Fatalf("no announcement: %v", err)
	}
	text := ann.Text + blockText(ann.Blocks)
	for _, want := range []string{"<@U0MARIA>", "Acme", "$15,000", "Days in cycle", "Referral", "Open " + ref} {
		if !strings.Contains(text, want) {
			t.Errorf("announcement lacks %q: %s", want, text)
		}
	}
	// Delivering the same submission again changes nothing and queues nothing.
	h.submit("U0MARIA", view, map[string]string{"Final amount": "15,000"})
	h.svc.bot.WaitHandlers()
	if c := h.count(`SELECT count(*) FROM river_job WHERE kind = 'outbox_message' AND args->>'channel' = 'C0WINS' AND args->>'team_id' = $1`, h.team); c != 1 {
		t.Errorf("announcement jobs = %d, want 1", c)
	}
	if c := h.count(`SELECT count(*) FROM deal_history h JOIN deals d ON d.id = h.deal_id WHERE d.workspace_id = $1 AND d.number = $2 AND h.action = 'stage' AND h.field = 'stage'`, h.team, n); c != 5 {
		t.Errorf("stage history entries = %d, want 5", c)
	}
	if msgs := h.fake.Messages("C0WINS"); len(msgs) != 1 {
		t.Errorf("announcements posted = %d, want 1", len(msgs))
	}
}

func TestLostReopenNoteAndFollowUp(t *testing.T) {
	now := time.Date(2026, 12, 1, 7, 19, 0, 0, time.UTC) // 02:19 in New York
	h := setupAt(t, now)
	h.fake.AddUser(slackfake.User{ID: "U0MARIA", TeamID: h.team, Name: "maria", TZ: "America/New_York"})
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Globex"})
	ref := fmt.Sprintf("D-%d", n)

	if r := h.command("U0MARIA", "/deal", "lost "+ref); !strings.Contains(r.all(), "Say why") {
		t.Errorf("lost without a reason: %s", r.all())
	}
	h.command("U0MARIA", "/deal", "lost "+ref+" went with a competitor")
	var lost struct {
		Stage  string `db:"stage"`
		Reason string `db:"lost_reason"`
		Closed bool   `db:"closed"`
	}
	h.svc.db.GetContext(h.ctx, &lost, `SELECT stage, lost_reason, closed_at IS NOT NULL AS closed FROM deals WHERE workspace_id = $1 AND number = $2`, h.team, n)
	if lost.Stage != "lost" || lost.Reason != "went with a competitor" || !lost.Closed {
		t.Errorf("after lost: %+v", lost)
	}
	if r := h.command("U0MARIA", "/deal", "move "+ref+" proposal"); !strings.Contains(r.all(), "reopened") {
		t.Errorf("reopen: %s", r.all())
	}
	if c := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND number = $2 AND stage = 'proposal' AND closed_at IS NULL`, h.team, n); c != 1 {
		t.Error("reopened deal is still closed")
	}

	// A note resets staleness.
	idle := now.AddDate(0, 0, -30)
	h.sql(`UPDATE deals SET last_activity_at = $3 WHERE workspace_id = $1 AND number = $2`, h.team, n, idle)
	h.command("U0MARIA", "/deal", "note "+ref+" called Jane, budget approved")
	if c := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND number = $2 AND last_activity_at > $3`, h.team, n, idle); c != 1 {
		t.Error("a note did not reset the deal's last activity")
	}

	// A follow-up is read in the owner's Slack timezone and stored in UTC.
	r := h.command("U0MARIA", "/deal", "followup "+ref+" tomorrow 10am send the quote")
	if !strings.Contains(r.all(), "Follow-up on "+ref) {
		t.Fatalf("followup: %s", r.all())
	}
	ny, _ := time.LoadLocation("America/New_York")
	want := time.Date(2026, 12, 2, 10, 0, 0, 0, ny)
	var due time.Time
	var note string
	row := h.svc.db.QueryRowContext(h.ctx, `SELECT f.due_at, f.note FROM follow_ups f JOIN deals d ON d.id = f.deal_id WHERE d.workspace_id = $1 AND d.number = $2`, h.team, n)
	if err := row.Scan(&due, &note); err != nil {
		t.Fatal(err)
	}
	if !due.Equal(want) || note != "send the quote" {
		t.Errorf("follow-up due %v (%q), want %v", due.UTC(), note, want.UTC())
	}
	if r := h.command("U0MARIA", "/deal", "followup "+ref+" blorp"); !strings.Contains(r.all(), "couldn't read") {
		t.Errorf("unreadable time: %s", r.all())
	}
}

func TestEditModalRejectsBadValuesInline(t *testing.T) {
	h := setup(t)
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Initech", "Estimated value": "1000"})
	_, trigger := h.slash("U0MARIA", "/deal", fmt.Sprintf("edit D-%d", n))
	view := h.modalFor(trigger)
	ack, _ := h.submit("U0MARIA", view, map[string]string{"Estimated value": "-5", "Contact email": "nope"})
	if !strings.Contains(string(ack.Payload), `"value"`) || !strings.Contains(string(ack.Payload), `"contact_email"`) || !strings.Contains(string(ack.Payload), "negative") {
		t.Fatalf("inline errors = %s", ack.Payload)
	}
	h.svc.bot.WaitHandlers()
	if c := h.count(`SELECT count(*) FROM deal_history h JOIN deals d ON d.id = h.deal_id WHERE d.workspace_id = $1 AND h.action <> 'created'`, h.team); c != 0 {
		t.Errorf("a rejected edit wrote %d history entries", c)
	}
	ack, _ = h.submit("U0MARIA", view, map[string]string{"Deal title": "Initech platform", "Estimated value": "2,000"})
	if len(ack.Payload) > 0 && string(ack.Payload) != "null" {
		t.Fatalf("valid edit rejected: %s", ack.Payload)
	}
	h.svc.bot.WaitHandlers()
	if c := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND number = $2 AND title = 'Initech platform' AND amount_minor = 200000`, h.team, n); c != 1 {
		t.Error("the edit was not saved")
	}
	if c := h.count(`SELECT count(*) FROM deal_history h JOIN deals d ON d.id = h.deal_id WHERE d.workspace_id = $1 AND h.field IN ('title', 'amount')`, h.team); c != 2 {
		t.Errorf("edit history entries = %d, want 2", c)
	}
}

func TestAssignThenAcceptOrReject(t *testing.T) {
	h := setup(t)
	for _, accept := range []bool{true, false} {
		n := h.newDeal("U0MARIA", map[string]string{"Company": fmt.Sprintf("Hooli %v", accept)})
		ref := fmt.Sprintf("D-%d", n)
		if r := h.command("U0MARIA", "/lead", "assign "+ref+" <@U0BOB|bob>"); !strings.Contains(r.all(), "offered to <@U0BOB>") {
			t.Fatalf("assign: %s", r.all())
		}
		offer, err := h.fake.WaitMessage(h.ctx, "DU0BOB", func(m slackfake.Message) bool { return strings.Contains(m.Text, ref) })
		if err != nil {
			t.Fatalf("no offer DM: %v", err)
		}
		label, verb, owner := "Accept", "accepted", "U0BOB"
		if !accept {
			label, verb, owner = "Reject", "rejected", "U0MARIA"
		}
		h.click("U0BOB", offer, label)
		if _, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", func(m slackfake.Message) bool { return strings.Contains(m.Text, verb+" "+ref) }); err != nil {
			t.Errorf("previous owner not told of %s: %v", verb, err)
		}
		h.svc.bot.WaitHandlers()
		if c := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND number = $2 AND owner_id = $3`, h.team, n, owner); c != 1 {
			t.Errorf("%s: owner is not %s", verb, owner)
		}
		if got := h.lastMessage("DU0BOB", ref); !strings.Contains(got.Text, "You "+verb) {
			t.Errorf("the offer was not redrawn: %q", got.Text)
		}
	}
}

func TestRepsAndManagersAndWorkspaces(t *testing.T) {
	h := setup(t)
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Umbrella"})
	ref := fmt.Sprintf("D-%d", n)
	if r := h.command("U0BOB", "/deal", "note "+ref+" sneaky"); !strings.Contains(r.all(), "belongs to <@U0MARIA>") {
		t.Errorf("another rep's note: %s", r.all())
	}
	if r := h.command("U0MGR", "/deal", "move "+ref+" qualified"); !strings.Contains(r.all(), "not allowed") && !strings.Contains(r.all(), "belongs to") {
		t.Errorf("a manager of another team moved it: %s", r.all())
	}
	if r := h.command("U0BOB", "/salesbot", "team <@U0MGR> <@U0MARIA>"); !strings.Contains(r.all(), "Only admins (<@U0ADMIN>) can set teams") {
		t.Errorf("a rep set a team: %s", r.all())
	}
	if r := h.command("U0BOB", "/salesbot", "capacity <@U0MARIA> 3"); !strings.Contains(r.all(), ":no_entry: Only admins (<@U0ADMIN>) can set capacity: ask one of them.") {
		t.Errorf("a rep set a capacity: %s", r.all())
	}
	if r := h.command("U0ADMIN", "/salesbot", "role <@U0ADMIN> rep"); !strings.Contains(r.all(), ":warning: You cannot take away your own admin role; ask another admin.") {
		t.Errorf("an admin dropped their own role: %s", r.all())
	}
	h.command("U0ADMIN", "/salesbot", "team <@U0MGR> <@U0MARIA>")
	if r := h.command("U0MGR", "/deal", "move "+ref+" qualified"); !strings.Contains(r.all(), "moved from") {
		t.Errorf("the manager was refused on their team's deal: %s", r.all())
	}
	if c := h.count(`SELECT count(*) FROM activities a JOIN deals d ON d.id = a.deal_id WHERE d.workspace_id = $1 AND a.body = 'sneaky'`, h.team); c != 0 {
		t.Error("a refused note was written")
	}

	// Someone of another workspace typing this workspace's number finds
	// nothing, with every command and every button.
	card := h.command("U0MARIA", "/deal", ref)
	_ = card
	cardMsg := h.lastMessage("C0SALES", ref)
	other := *h
	other.team = pgtest.TeamID()
	for _, text := range []string{ref, "move " + ref + " proposal", "won " + ref, "lost " + ref + " x", "note " + ref + " x",
		"followup " + ref + " tomorrow", "history " + ref, "upsell " + ref, "edit " + ref} {
		r := other.command("U0EVE", "/deal", text)
		if !strings.Contains(r.all(), "can't find "+ref) {
			t.Errorf("/deal %s from another workspace: %s", text, r.all())
		}
	}
	if r := other.command("U0EVE", "/lead", "assign "+ref+" <@U0EVE>"); !strings.Contains(r.all(), "can't find "+ref) {
		t.Errorf("/lead assign from another workspace: %s", r.all())
	}
	for _, label := range []string{"Move stage", "Log activity", "Follow-up", "Edit", "Won", "Lost", "History"} {
		other.click("U0EVE", cardMsg, label)
		other.svc.bot.WaitHandlers()
		got := other.lastMessage("C0SALES", "can't find")
		if got.User != "U0EVE" {
			t.Errorf("button %s from another workspace: no refusal for the clicker", label)
		}
	}
	if c := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1`, other.team); c != 0 {
		t.Errorf("the other workspace has %d deals", c)
	}
	if s := h.stageOf(n); s != "qualified" {
		t.Errorf("the deal changed from another workspace: %s", s)
	}
}

func TestFindUpsellAndHistory(t *testing.T) {
	h := setup(t)
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Stark Industries", "Contact name": "Pepper Potts"})
	h.newDeal("U0MARIA", map[string]string{"Company": "Wayne Enterprises"})
	r := h.command("U0MARIA", "/deal", "find stark")
	if !strings.Contains(r.all(), "Stark Industries") || strings.Contains(r.all(), "Wayne") {
		t.Errorf("find: %s", r.all())
	}
	if r := h.command("U0MARIA", "/deal", "find pepper"); !strings.Contains(r.all(), fmt.Sprintf("D-%d", n)) {
		t.Errorf("find by contact: %s", r.all())
	}
	r = h.command("U0MARIA", "/deal", fmt.Sprintf("upsell D-%d", n))
	if !strings.Contains(r.all(), "New upsell deal") {
		t.Fatalf("upsell: %s", r.all())
	}
	if c := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND kind = 'upsell' AND account_id = (SELECT account_id FROM deals WHERE workspace_id = $1 AND number = $2)`, h.team, n); c != 1 {
		t.Error("no upsell deal on the same account")
	}
	h.command("U0MARIA", "/deal", fmt.Sprintf("note D-%d first", n))
	h.command("U0MARIA", "/deal", fmt.Sprintf("note D-%d second", n))
	r = h.command("U0MARIA", "/deal", fmt.Sprintf("history D-%d", n))
	all := r.all()
	if i, j := strings.Index(all, "second"), strings.Index(all, "first"); i < 0 || j < 0 || i > j || !strings.Contains(all, "created the deal") {
		t.Errorf("history not newest first: %s", all)
	}
}

func TestEveryCardButtonWorksAndRedrawsTheCard(t *testing.T) {
	h := setup(t)
	h.fake.AddUser(slackfake.User{ID: "U0MARIA", TeamID: h.team, Name: "maria", TZ: "Europe/Berlin"})
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Soylent"})
	ref := fmt.Sprintf("D-%d", n)
	h.command("U0MARIA", "/deal", ref)
	card := h.lastMessage("C0SALES", ref)
	steps := []struct {
		button string
		fill   map[string]string
		shows  string
	}{
		// mrkdwn: Slack shows &amp; as &.
		{"Move stage", map[string]string{"New stage": "proposal"}, "Proposal &amp; quote"},
		{"Log activity", map[string]string{"Kind": "call", "What happened": "Demo went well"}, "Call logged"},
		{"Follow-up", map[string]string{"When": "in 3 days", "Note": "check in"}, "Next follow-up"},
		{"Edit", map[string]string{"Deal title": "Soylent green"}, "Soylent green"},
		{"Lost", map[string]string{"Reason": "no budget"}, "Lost: no budget"},
	}
	for _, s := range steps {
		edits := h.lastMessage("C0SALES", ref).Edits
		view := h.modalFor(h.click("U0MARIA", card, s.button))
		if ack, _ := h.submit("U0MARIA", view, s.fill); len(ack.Payload) > 0 && string(ack.Payload) != "null" {
			t.Fatalf("%s modal rejected: %s", s.button, ack.Payload)
		}
		h.svc.bot.WaitHandlers()
		card = h.lastMessage("C0SALES", ref)
		if card.Edits <= edits || !strings.Contains(card.Text+blockText(card.Blocks), s.shows) {
			t.Errorf("after %s the card shows %q (edits %d), want %q", s.button, blockText(card.Blocks), card.Edits, s.shows)
		}
	}
	// A lost deal's card offers no Won or Lost button.
	if strings.Contains(string(card.Blocks), `"Won"`) {
		t.Error("a lost deal still offers Won")
	}
	h.click("U0MARIA", card, "History")
	h.svc.bot.WaitHandlers()
	if hist := h.lastMessage("C0SALES", "History of "+ref); !strings.Contains(blockText(hist.Blocks), "no budget") {
		t.Errorf("history: %s", blockText(hist.Blocks))
	}
	if c := h.count(`SELECT count(*) FROM deal_history hh JOIN deals d ON d.id = hh.deal_id WHERE d.workspace_id = $1`, h.team); c < 7 {
		t.Errorf("history entries = %d", c)
	}
}
