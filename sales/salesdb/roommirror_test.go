package salesdb_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"salesbot/notices"
	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/sales/salesdb"
)

// roomPost is a message queued for a deal room, as the outbox holds it.
type roomPost struct{ Channel, Kind, Text string }

// roomPosts are the room messages queued for team, oldest first.
func (e env) roomPosts(t *testing.T, team string) []roomPost {
	t.Helper()
	var out []roomPost
	if err := e.db.SelectContext(t.Context(), &out, `SELECT args->>'channel' AS channel, args->>'kind' AS kind, args->>'text' AS text
		FROM river_job WHERE kind = 'outbox_message' AND args->>'team_id' = $1 AND args->>'kind' LIKE 'room\_%' ORDER BY id`, team); err != nil {
		t.Fatal(err)
	}
	return out
}

// addRoom gives team's deal dealID a room in state, channel "" for none.
func (e env) addRoom(t *testing.T, team string, dealID int64, state pipeline.RoomState, channel string) {
	t.Helper()
	var archived any
	if state == pipeline.RoomArchived {
		archived = now.Add(-time.Hour)
	}
	if _, err := e.db.ExecContext(t.Context(), `INSERT INTO deal_rooms (workspace_id, deal_id, state, channel_id, name, private, requested_by, requested_at, opened_at, archived_at)
		VALUES ($1, $2, $3, NULLIF($4, ''), $4, false, 'U0REP1', $5, $5, $6)`, team, dealID, string(state), channel, now.Add(-2*time.Hour), archived); err != nil {
		t.Fatal(err)
	}
}

// archiveAt is when team's deal dealID's room is due to be archived.
func (e env) archiveAt(t *testing.T, team string, dealID int64) *time.Time {
	t.Helper()
	var at *time.Time
	if err := e.db.GetContext(t.Context(), &at, `SELECT archive_at FROM deal_rooms WHERE workspace_id = $1 AND deal_id = $2`, team, dealID); err != nil {
		t.Fatal(err)
	}
	return at
}

func (e env) dealFor(t *testing.T, company, key string) pipeline.Deal {
	t.Helper()
	in := lead(e.team, "U0REP1", key)
	in.OwnerID, in.Company, in.ContactEmail = "U0REP1", company, strings.ToLower(company)+"@example.com"
	res, err := e.svc.CreateLead(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	return res.Deal
}

// Every change to a deal with an open room is queued for the room once, in
// its own words with what people typed escaped: moves, activities,
// follow-ups scheduled and done, discount requests requested, rejected,
// invalidated and approved, the win with the deal's history in brief, a reopen and a loss.
// The close sets when the room is archived; the reopen clears it.
func TestRoomMirrorsEachChangeOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	ctx := t.Context()
	admin, rep, mgr := e.user(t, "U0ADMIN"), e.user(t, "U0REP1"), pipeline.User{}
	if _, err := e.st.EnsureUser(ctx, e.st.DB(), pipeline.User{WorkspaceID: e.team, ID: "U0MGR", Role: pipeline.RoleManager}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetTeam(ctx, sales.SetTeam{Team: e.team, Actor: admin, Manager: "U0MGR", Reps: []string{"U0REP1"}, IdempotencyKey: "team"}); err != nil {
		t.Fatal(err)
	}
	mgr = e.user(t, "U0MGR")
	if err := e.svc.SaveApprovalRules(ctx, sales.SaveApprovalRules{Team: e.team, Actor: admin, Rules: pipeline.ApprovalRules{On: true, DiscountOverBps: 1000}}); err != nil {
		t.Fatal(err)
	}
	d := e.dealFor(t, "Acme", "lead:acme")
	e.addRoom(t, e.team, d.ID, pipeline.RoomOpen, "C0ROOM")
	// The deal was created at now; the changes follow on a clock of their own.
	c := &clock{t: now}
	e.svc = salesdb.New(salesdb.Deps{Store: e.st, Outbox: salesdb.OutboxOf(e.ob, notices.Message), Directory: directory{}, Now: c.Now,
		Defaults: pipeline.Settings{Currency: "USD"}})
	c.add(24 * time.Hour)

	move := func(to pipeline.Stage, reason, key string) error {
		_, err := e.svc.MoveDeal(ctx, sales.MoveDeal{Team: e.team, Actor: rep, Number: d.Number, Move: pipeline.Move{To: to, Reason: reason}, IdempotencyKey: key})
		return err
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var want []roomPost
	expect := func(kind, says string) { want = append(want, roomPost{"C0ROOM", kind, says}) }

	must(move(pipeline.StageQualified, "", "move:1"))
	if err := move(pipeline.StageQualified, "", "move:1"); !errors.Is(err, salesdb.ErrDuplicate) {
		t.Fatalf("the move redelivered: %v, want ErrDuplicate", err)
	}
	expect("room_move", "<@U0REP1> moved *"+d.Ref()+"* from Lead to Qualified.")

	_, err := e.svc.AddNote(ctx, sales.AddNote{Team: e.team, Actor: rep, Number: d.Number, Kind: "call", Body: "Spoke to <!channel> &\nthe CFO", IdempotencyKey: "note:1"})
	must(err)
	_, err = e.svc.AddNote(ctx, sales.AddNote{Team: e.team, Actor: rep, Number: d.Number, Kind: "call", Body: "Spoke to <!channel> &\nthe CFO", IdempotencyKey: "note:1"})
	if !errors.Is(err, salesdb.ErrDuplicate) {
		t.Fatalf("the note redelivered: %v, want ErrDuplicate", err)
	}
	expect("room_activity", "<@U0REP1> logged a call on *"+d.Ref()+"*: Spoke to &lt;!channel&gt; &amp; the CFO")

	fu, err := e.svc.ScheduleFollowUp(ctx, sales.ScheduleFollowUp{Team: e.team, Actor: rep, Number: d.Number, Due: now.Add(48 * time.Hour), Note: "send <b>terms</b>", IdempotencyKey: "fu:1"})
	must(err)
	expect("room_followup", "set a follow-up on *"+d.Ref()+"* for <@U0REP1>, due <!date^")
	_, err = e.svc.CompleteFollowUp(ctx, sales.AnswerFollowUp{Team: e.team, Actor: rep, FollowUpID: fu.FollowUp.ID, IdempotencyKey: "fu:done"})
	must(err)
	_, err = e.svc.CompleteFollowUp(ctx, sales.AnswerFollowUp{Team: e.team, Actor: rep, FollowUpID: fu.FollowUp.ID, IdempotencyKey: "fu:done:again"})
	must(err) // a second click on another message: done already, nothing new
	expect("room_followup", "<@U0REP1> did the follow-up on *"+d.Ref()+"*: send &lt;b&gt;terms&lt;/b&gt;")

	ask := func(bps int, key string) pipeline.Approval {
		t.Helper()
		res, err := e.svc.RequestApproval(ctx, sales.RequestApproval{Team: e.team, Actor: rep, Number: d.Number, DiscountBps: bps, Reason: "3-year <deal>", IdempotencyKey: key})
		must(err)
		return res.Approval
	}
	decide := func(a pipeline.Approval, ok bool, why, key string) {
		t.Helper()
		_, err := e.svc.DecideApproval(ctx, sales.DecideApproval{Team: e.team, Actor: mgr, ApprovalID: a.ID, Approve: ok, Reason: why, IdempotencyKey: key})
		must(err)
	}
	a1 := ask(2000, "ask:1")
	expect("room_approval", "<@U0REP1> asked to approve 20% off $12,500 (price $10,000) on *"+d.Ref()+"*: 3-year &lt;deal&gt;")
	decide(a1, false, "too <deep>", "decide:1")
	expect("room_approval", "<@U0MGR> rejected 20% off $12,500 (price $10,000) on *"+d.Ref()+"*: too &lt;deep&gt;")
	ask(1500, "ask:2")
	expect("room_approval", "asked to approve 15% off $12,500")
	f := form(d)
	f.Value = "20000"
	_, err = e.svc.EditDeal(ctx, e.edit(d.Number, rep, f, "edit:1"))
	must(err)
	expect("room_edit", "<@U0REP1> edited *"+d.Ref()+"*: amount $12,500 → $20,000")
	expect("room_approval", "The approval of 15% off $12,500 (price $10,625) on *"+d.Ref()+"* no longer holds: <@U0REP1> changed the amount or discount.")
	a3 := ask(1500, "ask:3")
	expect("room_approval", "asked to approve 15% off $20,000")
	decide(a3, true, "", "decide:3")
	expect("room_approval", "<@U0MGR> approved 15% off $20,000 (price $17,000) on *"+d.Ref()+"*.")

	c.add(4 * 24 * time.Hour)
	wonAt := c.Now()
	must(move(pipeline.StageWon, "", "won"))
	expect("room_close", "<@U0REP1> won *"+d.Ref()+"* for $20,000 ($17,000 after a 15% discount).")
	if at := e.archiveAt(t, e.team, d.ID); at == nil || !at.Equal(wonAt.AddDate(0, 0, 7)) {
		t.Errorf("archive_at after the win = %v, want %v (closed + the default 7 days)", at, wonAt.AddDate(0, 0, 7))
	}

	must(move(pipeline.StageProposal, "", "reopen"))
	expect("room_move", "<@U0REP1> reopened *"+d.Ref()+"*: Closed-won → Proposal &amp; quote.")
	if at := e.archiveAt(t, e.team, d.ID); at != nil {
		t.Errorf("archive_at after the reopen = %v, want none", at)
	}
	if _, err := e.db.ExecContext(ctx, `UPDATE workspace_settings SET room_archive_days = 0 WHERE workspace_id = $1`, e.team); err != nil {
		t.Fatal(err)
	}
	must(move(pipeline.StageLost, "budget <!here> cut", "lost"))
	expect("room_close", "<@U0REP1> lost *"+d.Ref()+"*: budget &lt;!here&gt; cut")
	if at := e.archiveAt(t, e.team, d.ID); at != nil {
		t.Errorf("archive_at with room_archive_days 0 = %v, want none (never archived)", at)
	}

	got := e.roomPosts(t, e.team)
	if len(got) != len(want) {
		t.Errorf("%d room messages queued, want %d:", len(got), len(want))
	}
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			t.Errorf("missing %d: %+v", i, want[i])
		case i >= len(want):
			t.Errorf("extra %d: %+v", i, got[i])
		case got[i].Channel != want[i].Channel || got[i].Kind != want[i].Kind || !strings.Contains(got[i].Text, want[i].Text):
			t.Errorf("message %d = %+v, want %s to %s saying %q", i, got[i], want[i].Kind, want[i].Channel, want[i].Text)
		}
	}
	for _, p := range got {
		if strings.Contains(p.Text, "<!channel>") || strings.Contains(p.Text, "<!here>") || strings.Contains(p.Text, "<b>") || strings.Contains(p.Text, "<deal>") {
			t.Errorf("%s carries raw markup: %s", p.Kind, p.Text)
		}
	}
	if len(got) > 11 {
		won := got[11].Text
		for _, says := range []string{"*Summary of " + d.Ref() + "* Acme", "Value $20,000 · owner <@U0REP1> · created " + day(now) + " · open 5 days",
			"Stages: Lead " + day(now) + " → Qualified " + day(now.Add(24*time.Hour)) + " → Closed-won " + day(wonAt) + "\n", "Activities: 1 · discount approvals: 3 asked (1 approved, 1 rejected, 1 invalidated)",
			"Outcome: won for $20,000 ($17,000 after a 15% discount)"} {
			if !strings.Contains(won, says) {
				t.Errorf("the win's summary does not say %q:\n%s", says, won)
			}
		}
	}
	if len(got) == len(want) && !strings.Contains(got[len(got)-1].Text, "Outcome: lost — budget &lt;!here&gt; cut") {
		t.Errorf("the loss's summary does not give the reason: %s", got[len(got)-1].Text)
	}
}

// A deal without a room, with a room still opening or archived, or
// another workspace's deal of the same number gets nothing in any room;
// a room still opening gets its archive date on close all the same, so it
// is archived in time once it opens.
func TestRoomMirrorsNothingWithoutAnOpenRoom(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	ctx := t.Context()
	other := e
	other.team = e.team + "X"
	if _, err := e.st.EnsureWorkspace(ctx, e.st.DB(), other.team, pipeline.Settings{Currency: "USD"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.EnsureUser(ctx, e.st.DB(), pipeline.User{WorkspaceID: other.team, ID: "U0REP1", Role: pipeline.RoleRep}); err != nil {
		t.Fatal(err)
	}
	theirs := other.dealFor(t, "Theirs", "lead:theirs")
	e.addRoom(t, other.team, theirs.ID, pipeline.RoomOpen, "C0THEIRS")

	none := e.dealFor(t, "Roomless", "lead:none")
	opening := e.dealFor(t, "Opening", "lead:opening")
	e.addRoom(t, e.team, opening.ID, pipeline.RoomOpening, "")
	archived := e.dealFor(t, "Archived", "lead:archived")
	e.addRoom(t, e.team, archived.ID, pipeline.RoomArchived, "C0OLD")
	if none.Number != theirs.Number {
		t.Fatalf("the other workspace's deal is %s, want the same number as %s", theirs.Ref(), none.Ref())
	}

	rep := e.user(t, "U0REP1")
	for _, d := range []pipeline.Deal{none, opening, archived} {
		key := fmt.Sprintf("%d:", d.Number)
		if _, err := e.svc.AddNote(ctx, sales.AddNote{Team: e.team, Actor: rep, Number: d.Number, Body: "hello", IdempotencyKey: key + "note"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.ScheduleFollowUp(ctx, sales.ScheduleFollowUp{Team: e.team, Actor: rep, Number: d.Number, Due: now.Add(time.Hour), IdempotencyKey: key + "fu"}); err != nil {
			t.Fatal(err)
		}
		for _, to := range []pipeline.Stage{pipeline.StageQualified, pipeline.StageWon} {
			if _, err := e.svc.MoveDeal(ctx, sales.MoveDeal{Team: e.team, Actor: rep, Number: d.Number, Move: pipeline.Move{To: to}, IdempotencyKey: key + string(to)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got := e.roomPosts(t, e.team); len(got) != 0 {
		t.Errorf("room messages queued without an open room: %+v", got)
	}
	if got := e.roomPosts(t, other.team); len(got) != 0 {
		t.Errorf("the other workspace's room got this one's changes: %+v", got)
	}
	if at := e.archiveAt(t, e.team, opening.ID); at == nil || !at.Equal(now.AddDate(0, 0, 7)) {
		t.Errorf("the opening room's archive_at = %v, want %v", at, now.AddDate(0, 0, 7))
	}
	if at := e.archiveAt(t, e.team, archived.ID); at != nil {
		t.Errorf("the archived room's archive_at = %v, want none", at)
	}
}

// day is t as a room's summary dates it, in the workspace's zone (UTC here).
func day(t time.Time) string {
	return fmt.Sprintf("<!date^%d^{date_short_pretty}|%s>", t.Unix(), t.Format("Mon Jan 2, 2006"))
}

// The paths that change a deal on the way reach its room too: qualifying a
// lead moves it, a web form repeating it logs the form's message on it,
// and disqualifying it closes it as lost, with its history in brief.
func TestRoomMirrorsQualifyingAndInboundRepeats(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	ctx := t.Context()
	d := e.dealFor(t, "Initech", "lead:initech")
	e.addRoom(t, e.team, d.ID, pipeline.RoomOpen, "C0ROOMQ")
	rep := e.user(t, "U0REP1")
	answers := pipeline.Qualification{Authority: "CFO", Need: "CRM", Timing: "Q3"}
	if _, err := e.svc.QualifyLead(ctx, sales.QualifyLead{Team: e.team, Actor: rep, Number: d.Number, Answers: answers, IdempotencyKey: "q:1"}); err != nil {
		t.Fatal(err)
	}
	repeat := inboundLead(e.team, "form:1", d.ContactEmail, "Still keen <!channel>")
	repeat.Company = d.AccountName
	if res, err := e.svc.CreateLead(ctx, repeat); err != nil || !res.Duplicate || res.Deal.Number != d.Number {
		t.Fatalf("the form's repeat of %s: %+v, %v", d.Ref(), res.Deal.Ref(), err)
	}
	if _, err := e.svc.QualifyLead(ctx, sales.QualifyLead{Team: e.team, Actor: rep, Number: d.Number, Answers: answers, Reason: "no <budget>", IdempotencyKey: "q:2"}); err != nil {
		t.Fatal(err)
	}
	got := e.roomPosts(t, e.team)
	want := []roomPost{
		{"C0ROOMQ", "room_move", "<@U0REP1> moved *" + d.Ref() + "* from Lead to Qualified."},
		{"C0ROOMQ", "room_activity", "<@U0ADMIN> logged a note on *" + d.Ref() + "*: "},
		{"C0ROOMQ", "room_close", "<@U0REP1> lost *" + d.Ref() + "*: Disqualified: no &lt;budget&gt;\n"},
	}
	if len(got) != len(want) {
		t.Fatalf("room messages %+v, want %d", got, len(want))
	}
	for i := range want {
		if got[i].Channel != want[i].Channel || got[i].Kind != want[i].Kind || !strings.Contains(got[i].Text, want[i].Text) {
			t.Errorf("message %d = %+v, want %s saying %q", i, got[i], want[i].Kind, want[i].Text)
		}
	}
	if !strings.Contains(got[1].Text, "Still keen &lt;!channel&gt;") {
		t.Errorf("the repeat's note does not quote the form, escaped: %s", got[1].Text)
	}
}

// An edit and a change of owner reach the deal's room once each, with what
// a person typed escaped: the edit names the fields from and to, a handoff
// accepted and a deal taken over name the new and the previous owner.
func TestRoomMirrorsEditsAndNewOwners(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)
	e.addRoom(t, e.team, d.ID, pipeline.RoomOpen, "C0ROOM")
	rep := e.user(t, "U0REP1")

	f := form(d)
	f.Title = "Acme <renewal>"
	for range 2 { // Slack delivering the form twice
		if _, err := e.svc.EditDeal(t.Context(), e.edit(d.Number, rep, f, "view:E1")); err != nil && !errors.Is(err, sales.ErrDuplicate) {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.AssignLead(t.Context(), e.assign(d.Number, "U0REP1", "U0REP2", "slash:assign", t)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AnswerHandoff(t.Context(), e.answerOffer(t, d.Number, "U0REP2", true, "action:accept:1")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AssignLead(t.Context(), e.assign(d.Number, "U0ADMIN", "U0ADMIN", "slash:take", t)); err != nil {
		t.Fatal(err)
	}
	old := d.Title
	if old == "" {
		old = "none"
	}
	var got []string
	for _, p := range e.roomPosts(t, e.team) {
		if p.Channel != "C0ROOM" {
			t.Errorf("posted in %s", p.Channel)
		}
		got = append(got, p.Kind+": "+p.Text)
	}
	want := []string{
		"room_edit: :pencil2: <@U0REP1> edited *" + d.Ref() + "*: title " + old + " → Acme &lt;renewal&gt;",
		"room_owner: :busts_in_silhouette: <@U0REP2> now owns *" + d.Ref() + " · Acme Corp* (it was <@U0REP1>'s).",
		"room_owner: :busts_in_silhouette: <@U0ADMIN> now owns *" + d.Ref() + " · Acme Corp* (it was <@U0REP2>'s).",
	}
	if !slices.Equal(got, want) {
		t.Errorf("room posts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
