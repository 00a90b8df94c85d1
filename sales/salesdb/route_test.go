package salesdb_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/sales/salesdb"
)

// routeOnce runs svc.Route in a committed transaction of its own.
func (e env) routeOnce(t *testing.T, svc *salesdb.Service, in pipeline.RouteInput) (pipeline.Choice, error) {
	t.Helper()
	var c pipeline.Choice
	var routeErr error
	e.inTx(t, func(tx *sqlx.Tx) error {
		c, routeErr = svc.Route(t.Context(), tx, e.team, in)
		return nil // commit what routing recorded, as a caller would
	})
	return c, routeErr
}

// routed lists the people of the workspace routing has given a lead to.
func (e env) routed(t *testing.T) []string {
	t.Helper()
	var ids []string
	if err := e.db.SelectContext(t.Context(), &ids, `SELECT id FROM users
		WHERE workspace_id = $1 AND last_routed_at IS NOT NULL ORDER BY id`, e.team); err != nil {
		t.Fatal(err)
	}
	return ids
}

// A Software lead goes to the rep its rule names; others go round-robin,
// to whoever was routed a lead longest ago. Routing queues nothing itself.
func TestRouteLeadFollowsRulesThenRoundRobin(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	c := &clock{t: now}
	r := &recorder{}
	svc := salesdb.New(salesdb.Deps{Store: e.st, Outbox: r, Directory: directory{}, Now: c.Now})

	var owner string
	e.inTx(t, func(tx *sqlx.Tx) error {
		var err error
		owner, err = svc.RouteLead(t.Context(), tx, lead(e.team, "U0ADMIN", ""))
		return err
	})
	if owner != "U0REP2" {
		t.Fatalf("Software lead routed to %q, want U0REP2 by the rule", owner)
	}
	if got := e.routed(t); len(got) != 1 || got[0] != "U0REP2" {
		t.Errorf("recorded as routed: %q, want U0REP2 only", got)
	}

	var got []string
	for range 3 {
		c.add(time.Minute)
		ch, err := e.routeOnce(t, svc, pipeline.RouteInput{Industry: "Retail"})
		if err != nil {
			t.Fatal(err)
		}
		if ch.Reason != "round-robin" {
			t.Errorf("Retail lead to %s because %q, want round-robin", ch.RepID, ch.Reason)
		}
		got = append(got, ch.RepID)
	}
	if strings.Join(got, " ") != "U0REP1 U0REP2 U0REP1" {
		t.Errorf("Retail leads went to %q, want U0REP1 U0REP2 U0REP1 (never routed first, then longest ago)", got)
	}
	if n := len(r.all()); n != 0 {
		t.Errorf("routing queued %d notices, want none (the caller offers the lead)", n)
	}
}

// Away, excluded and full reps are passed over; with no one left routing
// says so and records no one.
func TestRouteSkipsAwayExcludedAndFullReps(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	if err := e.svc.SetAway(t.Context(), sales.SetAway{Team: e.team, Actor: e.user(t, "U0REP2"), User: "U0REP2", Away: true,
		IdempotencyKey: "slash:away"}); err != nil {
		t.Fatal(err)
	}
	ch, err := e.routeOnce(t, e.svc, pipeline.RouteInput{Industry: "Software"})
	if err != nil || ch.RepID != "U0REP1" || ch.Reason != "round-robin" {
		t.Errorf("rule's rep away: %+v, %v; want U0REP1 round-robin", ch, err)
	}
	if _, err := e.routeOnce(t, e.svc, pipeline.RouteInput{Industry: "Software", Exclude: []string{"U0REP1"}}); !errors.Is(err, sales.ErrNoRep) {
		t.Errorf("the one rep left excluded: err = %v, want ErrNoRep", err)
	}

	if err := e.svc.SetAway(t.Context(), sales.SetAway{Team: e.team, Actor: e.user(t, "U0REP2"), User: "U0REP2", Away: false,
		IdempotencyKey: "slash:back"}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetCapacity(t.Context(), sales.SetCapacity{Team: e.team, Actor: e.user(t, "U0ADMIN"), User: "U0REP2", Capacity: 1,
		IdempotencyKey: "slash:capacity"}); err != nil {
		t.Fatal(err)
	}
	own := lead(e.team, "U0REP2", "view:own")
	own.OwnerID = "U0REP2"
	if _, err := e.svc.CreateLead(t.Context(), own); err != nil {
		t.Fatal(err)
	}
	if _, err := e.routeOnce(t, e.svc, pipeline.RouteInput{Industry: "Software", Exclude: []string{"U0REP1"}}); !errors.Is(err, sales.ErrNoRep) {
		t.Errorf("the one rep left at capacity: err = %v, want ErrNoRep", err)
	}
	if got := e.routed(t); len(got) != 1 || got[0] != "U0REP1" {
		t.Errorf("recorded as routed: %q, want U0REP1 only", got)
	}
}

// watchedDirectory answers from a list of deactivated accounts that the
// test changes, and counts the questions about each person.
type watchedDirectory struct {
	mu    sync.Mutex
	gone  map[string]bool
	asked map[string]int
}

func (d *watchedDirectory) Active(_ context.Context, user string) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.asked[user]++
	return !d.gone[user], nil
}

func (d *watchedDirectory) deactivate(user string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.gone[user] = true
}

func (d *watchedDirectory) questions(user string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.asked[user]
}

// Routing trusts the directory's word that someone is active for ten
// minutes of the service's clock, not the machine's: within them a rep
// deactivated since is still routed to without asking; after them the
// directory is asked again and the rep skipped.
func TestRouteTrustsAnActiveAnswerForTenMinutesOfItsClock(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	c := &clock{t: now}
	dir := &watchedDirectory{gone: map[string]bool{}, asked: map[string]int{}}
	svc := salesdb.New(salesdb.Deps{Store: e.st, Outbox: &recorder{}, Directory: dir, Now: c.Now})
	software := pipeline.RouteInput{Industry: "Software"}

	if ch, err := e.routeOnce(t, svc, software); err != nil || ch.RepID != "U0REP2" {
		t.Fatalf("first routing: %+v, %v; want U0REP2", ch, err)
	}
	if n := dir.questions("U0REP2"); n != 1 {
		t.Fatalf("directory asked about U0REP2 %d times, want 1", n)
	}

	dir.deactivate("U0REP2")
	c.add(9 * time.Minute)
	if ch, err := e.routeOnce(t, svc, software); err != nil || ch.RepID != "U0REP2" {
		t.Errorf("9 minutes on: %+v, %v; want U0REP2, still trusted", ch, err)
	}
	if n := dir.questions("U0REP2"); n != 1 {
		t.Errorf("9 minutes on: directory asked about U0REP2 %d times, want still 1", n)
	}

	c.add(2 * time.Minute)
	if ch, err := e.routeOnce(t, svc, software); err != nil || ch.RepID != "U0REP1" {
		t.Errorf("11 minutes on: %+v, %v; want U0REP1 (U0REP2 is deactivated now)", ch, err)
	}
	if n := e.count(t, `SELECT count(*) FROM users WHERE workspace_id = $1 AND id = 'U0REP2' AND deactivated`, e.team); n != 1 {
		t.Errorf("U0REP2 not recorded as deactivated after the directory was asked again")
	}
}
