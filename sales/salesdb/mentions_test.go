package salesdb_test

import (
	"errors"
	"testing"

	"salesbot/pipeline"
	"salesbot/sales"
)

// Mentions are off in a channel until an admin turns them on; a rep is
// refused and writes nothing; the same request key changes nothing twice.
func TestSetMentionsAdminOnlyAndOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	ctx := t.Context()
	if cs, err := e.svc.ChannelSettings(ctx, e.team, "C0SALES"); err != nil || cs.Mentions {
		t.Fatalf("before any change: %+v, %v; want off", cs, err)
	}
	rep := e.user(t, "U0REP1")
	_, err := e.svc.SetMentions(ctx, sales.SetMentions{Team: e.team, Actor: rep, Channel: "C0SALES", On: true, IdempotencyKey: "slash:r"})
	var f sales.ErrForbidden
	if !errors.As(err, &f) {
		t.Fatalf("rep: err = %v, want ErrForbidden", err)
	}
	if n := e.count(t, `SELECT count(*) FROM channel_settings WHERE workspace_id = $1`, e.team); n != 0 {
		t.Errorf("a refused change wrote %d rows", n)
	}
	in := sales.SetMentions{Team: e.team, Actor: e.user(t, "U0ADMIN"), Channel: "C0SALES", On: true, IdempotencyKey: "slash:a"}
	if cs, err := e.svc.SetMentions(ctx, in); err != nil || !cs.Mentions || cs.ChangedBy != "U0ADMIN" || !cs.ChangedAt.Equal(now) {
		t.Fatalf("admin on: %+v, %v", cs, err)
	}
	in.On = false
	if _, err := e.svc.SetMentions(ctx, in); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("same key again: %v, want ErrDuplicate", err)
	}
	if cs, _ := e.svc.ChannelSettings(ctx, e.team, "C0SALES"); !cs.Mentions || cs.ChangedBy != "U0ADMIN" {
		t.Errorf("after the repeat: %+v, want still on", cs)
	}
	if cs, _ := e.svc.ChannelSettings(ctx, e.team, "C0OTHER"); cs.Mentions {
		t.Error("another channel was turned on too")
	}
	if _, err := e.svc.SetMentions(ctx, sales.SetMentions{Team: e.team, Actor: in.Actor, Channel: "DU0ADMIN", On: true}); err == nil {
		t.Error("a DM was accepted as a channel")
	}
}

// A mention shows only the deals the writer may see, as the card does;
// the others, and numbers of no deal, are left out without an error.
func TestMentionedDealsOnlyWhatTheWriterMaySee(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t) // U0REP1's
	numbers := []int64{d.Number, d.Number + 1000}
	for _, c := range []struct {
		user string
		want int
	}{{"U0REP1", 1}, {"U0ADMIN", 1}, {"U0REP2", 0}} {
		got, err := e.svc.MentionedDeals(t.Context(), e.user(t, c.user), numbers)
		if err != nil || len(got) != c.want || (c.want == 1 && got[0].Number != d.Number) {
			t.Errorf("%s: %+v, %v; want %d deal(s)", c.user, got, err, c.want)
		}
	}
	other := pipeline.User{WorkspaceID: "T0ELSEWHERE", ID: "U0REP1", Role: pipeline.RoleAdmin}
	if got, err := e.svc.MentionedDeals(t.Context(), other, numbers); err != nil || len(got) != 0 {
		t.Errorf("an admin of another workspace: %+v, %v; want nothing", got, err)
	}
}
