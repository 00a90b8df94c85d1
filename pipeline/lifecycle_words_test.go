package pipeline

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// Winning a won deal says so once, without the sentinel's tail.
func TestSameStageWords(t *testing.T) {
	d := Deal{Number: 1, Stage: StageWon}
	_, err := PlanMove(d, DefaultStages(), Move{To: StageWon})
	if !errors.Is(err, ErrSameStage) {
		t.Fatalf("err = %v, want ErrSameStage", err)
	}
	if got, want := err.Error(), "D-1 is already Closed-won."; got != want {
		t.Errorf("err = %q, want %q", got, want)
	}
}

// The unknown-stage answer lists the stages as help writes them, and each
// listed word reads back as its stage.
func TestUnknownStageListsHelpWords(t *testing.T) {
	_, err := ParseStage("bogus", DefaultStages())
	if !errors.Is(err, ErrUnknownStage) {
		t.Fatalf("err = %v, want ErrUnknownStage", err)
	}
	msg := err.Error()
	if strings.Contains(msg, "needs_assessment") || !strings.Contains(msg, "needs assessment") {
		t.Errorf("err = %q, want %q listed as help writes it", msg, "needs assessment")
	}
	list := msg[strings.Index(msg, "use one of ")+len("use one of "):]
	for i, w := range strings.Split(list, ", ") {
		got, err := ParseStage(w, DefaultStages())
		if err != nil || got != DefaultStages()[i].Key {
			t.Errorf("listed %q reads as %q, %v; want %q", w, got, err, DefaultStages()[i].Key)
		}
	}
}

// A refusal on a deal names who can work on it instead.
func TestRefuseDealNamesWhoCan(t *testing.T) {
	owner := User{WorkspaceID: "T1", ID: "U0SAM", Role: RoleRep, ManagerID: "U0MARIA"}
	for _, c := range []struct {
		name   string
		actor  User
		owner  User
		admins []string
		want   string
	}{
		{"another rep", User{WorkspaceID: "T1", ID: "U0PRIYA", Role: RoleRep}, owner, []string{"U0ALEX"},
			"not allowed: that deal belongs to <@U0SAM>; only they, their manager <@U0MARIA> or an admin (<@U0ALEX>) can work on it"},
		{"another manager", User{WorkspaceID: "T1", ID: "U0MGR", Role: RoleManager}, owner, []string{"U0ALEX", "U0BEA"},
			"not allowed: that deal belongs to <@U0SAM>, who is not on your team; only they, their manager <@U0MARIA> or an admin (<@U0ALEX>, <@U0BEA>) can work on it"},
		{"no manager, no admin", User{WorkspaceID: "T1", ID: "U0PRIYA", Role: RoleRep}, User{WorkspaceID: "T1", ID: "U0SAM"}, nil,
			"not allowed: that deal belongs to <@U0SAM>; only they or an admin can work on it"},
	} {
		err := RefuseDeal(c.actor, c.owner, c.admins)
		if !errors.Is(err, ErrForbidden) || err.Error() != c.want {
			t.Errorf("%s: %v\nwant %s", c.name, err, c.want)
		}
	}
	if err := RefuseDeal(User{WorkspaceID: "T1", ID: "U0MARIA", Role: RoleManager}, owner, nil); err != nil {
		t.Errorf("their manager: %v, want allowed", err)
	}
}

// An admin-only refusal says what was refused, and is ErrAdminOnly.
func TestAdminOnlyRefusalSaysWhat(t *testing.T) {
	err := AuthorizeAdminTo(User{ID: "U0SAM", Role: RoleRep}, "change settings")
	var e AdminOnlyError
	if !errors.Is(err, ErrAdminOnly) || !errors.Is(err, ErrForbidden) || !errors.As(err, &e) || e.Doing() != "change settings" {
		t.Errorf("err = %v, want an AdminOnlyError to change settings", err)
	}
	if err := AuthorizeAdminTo(User{ID: "U0ALEX", Role: RoleAdmin}, "change settings"); err != nil {
		t.Errorf("an admin: %v", err)
	}
}

func TestCloseDateInPast(t *testing.T) {
	now := time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)
	day := func(y int, m time.Month, d int) *time.Time { t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC); return &t }
	for _, c := range []struct {
		d    *time.Time
		want string
	}{
		{nil, ""},
		{day(2026, 12, 1), ""},
		{day(2027, 1, 31), ""},
		{day(2026, 11, 30), "Nov 30, 2026 is in the past: the expected close date must be today or later."},
		{day(2025, 12, 1), "Dec 1, 2025 is in the past: the expected close date must be today or later."},
	} {
		if got := CloseDateInPast(c.d, now); got != c.want {
			t.Errorf("%v: %q, want %q", c.d, got, c.want)
		}
	}
	// Just after midnight UTC, yesterday (UTC) is still today west of it.
	early := time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC)
	if got := CloseDateInPast(day(2026, 12, 1), early); got != "" {
		t.Errorf("Dec 1 at 01:00 UTC on Dec 2: %q, want accepted (it is Dec 1 in the Americas)", got)
	}
}
