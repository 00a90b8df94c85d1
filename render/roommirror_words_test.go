package render

import (
	"strings"
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"
)

// A room's notices are one line each, whatever a person typed (new lines
// folded, markup escaped), and say who did what to which deal.
func TestRoomNoticeWords(t *testing.T) {
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	room := pipeline.Room{ChannelID: "C0ROOM", State: pipeline.RoomOpen}
	d := pipeline.Deal{Number: 42, AccountName: "Acme & Co", Value: pipeline.Money{Minor: 1_250_000, Currency: "USD"}, Stage: pipeline.StageWon}
	a := pipeline.Approval{ID: 7, RequestedBy: "U0REP1", DiscountBps: 2000, Amount: d.Value, Reason: "3-year\n<deal>"}
	decided := func(st pipeline.ApprovalState, why string) pipeline.Approval {
		b := a
		b.State, b.DecidedBy, b.DecisionReason = st, "U0MGR", why
		return b
	}
	lost := d
	lost.Stage, lost.LostReason = pipeline.StageLost, "went with <!here>\nCompetitor"
	for _, c := range []struct {
		name string
		m    Message
		want string
	}{
		{"move", RoomMovedNotice(sales.RoomMoved{Room: room, Deal: d, By: "U0REP1", From: "Lead", To: "Qualified <b>"}),
			":arrow_right: <@U0REP1> moved *D-42* from Lead to Qualified &lt;b&gt;."},
		{"reopen", RoomMovedNotice(sales.RoomMoved{Room: room, Deal: d, By: "U0REP1", From: "Closed-won", To: "Proposal", Change: pipeline.StageChange{Reopen: true}}),
			":leftwards_arrow_with_hook: <@U0REP1> reopened *D-42*: Closed-won → Proposal."},
		{"call", RoomActivityNotice(sales.RoomActivity{Room: room, Deal: d, Activity: pipeline.Activity{AuthorID: "U0REP1", Kind: "call", Body: "Spoke to\n\n<!channel>"}}),
			":memo: <@U0REP1> logged a call on *D-42*: Spoke to &lt;!channel&gt;"},
		{"email", RoomActivityNotice(sales.RoomActivity{Room: room, Deal: d, Activity: pipeline.Activity{AuthorID: "U0REP1", Kind: "email", Body: "sent"}}),
			":memo: <@U0REP1> logged an email on *D-42*: sent"},
		{"follow-up", RoomFollowUpNotice(sales.RoomFollowUp{Room: room, Deal: d, By: "U0MGR", FollowUp: pipeline.FollowUp{OwnerID: "U0REP1", DueAt: at, Note: "send\nterms & <b>"}}),
			":alarm_clock: <@U0MGR> set a follow-up on *D-42* for <@U0REP1>, due " + When(at, time.UTC) + ": send terms &amp; &lt;b&gt;"},
		{"follow-up done", RoomFollowUpNotice(sales.RoomFollowUp{Room: room, Deal: d, By: "U0REP1", Done: true, FollowUp: pipeline.FollowUp{OwnerID: "U0REP1", DueAt: at}}),
			":white_check_mark: <@U0REP1> did the follow-up on *D-42*."},
		{"requested", RoomApprovalNotice(sales.RoomApproval{Room: room, Deal: d, Approval: a, By: "U0REP1"}),
			":raised_hand: <@U0REP1> asked to approve 20% off $12,500 (price $10,000) on *D-42*: 3-year &lt;deal&gt;"},
		{"approved", RoomApprovalNotice(sales.RoomApproval{Room: room, Deal: d, Approval: decided(pipeline.ApprovalApproved, ""), By: "U0MGR"}),
			":white_check_mark: <@U0MGR> approved 20% off $12,500 (price $10,000) on *D-42*."},
		{"rejected", RoomApprovalNotice(sales.RoomApproval{Room: room, Deal: d, Approval: decided(pipeline.ApprovalRejected, "too\n<deep>"), By: "U0MGR"}),
			":x: <@U0MGR> rejected 20% off $12,500 (price $10,000) on *D-42*: too &lt;deep&gt;"},
		{"invalidated", RoomApprovalNotice(sales.RoomApproval{Room: room, Deal: d, Approval: decided(pipeline.ApprovalInvalidated, ""), By: "U0REP1"}),
			":warning: The approval of 20% off $12,500 (price $10,000) on *D-42* no longer holds: <@U0REP1> changed the amount or discount."},
	} {
		if c.m.Text != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, c.m.Text, c.want)
		}
	}
	closed := RoomClosedNotice(sales.RoomClosed{Room: room, Deal: lost, By: "U0REP1"})
	if first, _, _ := strings.Cut(closed.Text, "\n"); first != ":x: <@U0REP1> lost *D-42*: went with &lt;!here&gt; Competitor" {
		t.Errorf("the loss's line: %q", first)
	}
	if len(closed.Blocks) != 2 || !strings.Contains(closed.Text, "Outcome: lost — went with &lt;!here&gt; Competitor") {
		t.Errorf("the loss's summary: %d blocks, %q", len(closed.Blocks), closed.Text)
	}
}
