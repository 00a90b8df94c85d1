package main

import (
	"context"
	"fmt"
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

// lockProbe is Slack whose users.info first creates a lead with a chosen
// owner in its own transaction: that needs the workspace row routing locks,
// so it fails (lock_timeout) if routing asks Slack while holding the lock.
type lockProbe struct {
	commands.Slack
	h *harness

	mu       sync.Mutex
	calls    int
	failures []error
}

func (p *lockProbe) GetUserInfoContext(ctx context.Context, user string, options ...slack.GetUserInfoOption) (*slack.User, error) {
	err := p.h.svc.store.WithTx(ctx, func(tx *sqlx.Tx) error {
		// Only a held lock makes this wait; it never does when routing is right.
		if _, err := tx.ExecContext(ctx, `SET LOCAL lock_timeout = '1s'`); err != nil {
			return err
		}
		_, _, err := p.h.svc.store.CreateLead(ctx, tx, pipeline.NewLead{WorkspaceID: p.h.team,
			Company: "Probe " + user, OwnerID: "U0ADMIN", CreatedBy: "U0ADMIN"}, probeTime)
		return err
	})
	p.mu.Lock()
	p.calls++
	if err != nil {
		p.failures = append(p.failures, fmt.Errorf("creating a lead while users.info %s was asked: %w", user, err))
	}
	p.mu.Unlock()
	return p.Slack.GetUserInfoContext(ctx, user, options...)
}

// Routing asks Slack about its candidates before it takes the workspace's
// routing lock: a lead created while users.info is in flight goes through,
// and a rep Slack says is deactivated is still skipped and noted.
func TestRoutingAsksSlackOutsideTheLock(t *testing.T) {
	h := setup(t)
	h.fake.AddUser(slackfake.User{ID: "U0R1", Name: "r1", Deleted: true})
	for _, rep := range []string{"U0R1", "U0R2"} {
		h.command(rep, "/salesbot", "away off")
	}
	h.command("U0ADMIN", "/salesbot", "away on")
	probe := &lockProbe{Slack: h.svc.api, h: h}
	app := salesdb.New(salesdb.Deps{Store: h.svc.store, Outbox: salesdb.OutboxOf(h.svc.outbox, notices.Message),
		Directory: commands.SalesDirectory(probe)})
	var got []string
	for range 2 {
		var owner string
		err := h.svc.store.WithTx(h.ctx, func(tx *sqlx.Tx) error {
			var err error
			owner, err = app.RouteLead(h.ctx, tx, pipeline.NewLead{WorkspaceID: h.team, Company: "Acme"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, owner)
	}
	probe.mu.Lock()
	defer probe.mu.Unlock()
	for _, err := range probe.failures {
		t.Error(err)
	}
	if probe.calls == 0 {
		t.Fatal("routing never asked Slack whether its candidates are active")
	}
	if got[0] != "U0R2" || got[1] != "U0R2" {
		t.Errorf("leads went to %v, want both to U0R2 (U0R1's account is deactivated)", got)
	}
	if c := h.count(`SELECT count(*) FROM users WHERE workspace_id = $1 AND id = 'U0R1' AND deactivated`, h.team); c != 1 {
		t.Error("U0R1's deactivated account was not noted")
	}
	if c := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND title LIKE 'Probe %'`, h.team); c != probe.calls {
		t.Errorf("%d leads created during users.info calls, want %d", c, probe.calls)
	}
}

// probeTime dates the probe's leads; only the locks they take matter here.
var probeTime = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
