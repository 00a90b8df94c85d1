package commands

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/slack-go/slack"

	"salesbot/outbox"
	"salesbot/pipeline"
)

// ErrNoRep is returned by RouteLead when no rep can take the lead: everyone
// is away, deactivated, at capacity or has declined it.
var ErrNoRep = errors.New("no rep can take the lead right now")

// slackCheckTimeout bounds the users.info calls that check a routing's
// candidates are still active; routing goes ahead when Slack does not answer
// in time.
const slackCheckTimeout = 1500 * time.Millisecond

// slackCheckBatch is how many candidates routing asks Slack about at once.
const slackCheckBatch = 4

// RouteLead chooses the owner of a lead that has none, inside tx: the
// workspace's routing rules first, then round-robin among eligible reps
// (skipping away, deactivated and at-capacity reps). The choice is recorded for round-robin in tx, so commit
// promptly: the workspace's routing lock is held until then. Call it before
// CreateLeadTx in the same tx (both take that lock). ErrNoRep when no one
// can take it.
func (a *App) RouteLead(ctx context.Context, tx *sqlx.Tx, lead pipeline.NewLead) (ownerID string, err error) {
	c, err := a.route(ctx, tx, lead.WorkspaceID, pipeline.RouteInput{
		Industry: lead.Industry, Size: lead.CompanySize, Territory: lead.Territory})
	return c.RepID, err
}

// route picks and records the first usable choice of pipeline.Route. Slack
// is asked which candidates are deactivated before the workspace's routing
// lock is taken, never while it is held: every deal creation in the
// workspace waits on that lock. Under the lock the reps are read again, so
// concurrent routings see each other's round-robin choices; a candidate
// Slack was not asked about then is taken as active.
func (a *App) route(ctx context.Context, tx *sqlx.Tx, teamID string, in pipeline.RouteInput) (pipeline.Choice, error) {
	rules, err := a.store.RoutingRules(ctx, tx, teamID)
	if err != nil {
		return pipeline.Choice{}, err
	}
	reps, err := a.store.RoutingReps(ctx, tx, teamID) // a first look, without the lock
	if err != nil {
		return pipeline.Choice{}, err
	}
	gone := a.deactivatedInSlack(ctx, teamID, pipeline.Route(in, rules, reps))
	if err := a.store.LockRouting(ctx, tx, teamID); err != nil {
		return pipeline.Choice{}, err
	}
	if reps, err = a.store.RoutingReps(ctx, tx, teamID); err != nil {
		return pipeline.Choice{}, err
	}
	for _, c := range pipeline.Route(in, rules, reps) {
		if gone[c.RepID] {
			if err := a.store.MarkDeactivated(ctx, tx, teamID, c.RepID); err != nil {
				return pipeline.Choice{}, err
			}
			continue
		}
		if err := a.store.MarkRoutedTo(ctx, tx, teamID, c.RepID); err != nil {
			return pipeline.Choice{}, err
		}
		return c, nil
	}
	return pipeline.Choice{}, ErrNoRep
}

// activeFor is how long a users.info answer that someone is active is
// trusted: most routings then make no Slack call at all.
const activeFor = 10 * time.Minute

// activeUsers remembers when Slack last said a person was active.
type activeUsers struct {
	mu   sync.Mutex
	seen map[string]time.Time // team/user → when
}

func (u *activeUsers) knows(key string, now time.Time) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	at, ok := u.seen[key]
	return ok && now.Sub(at) < activeFor
}

func (u *activeUsers) note(key string, now time.Time) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.seen == nil || len(u.seen) > 10000 {
		u.seen = map[string]time.Time{} // bounded: start over
	}
	u.seen[key] = now
}

// deactivatedInSlack returns which of cands, in routing order, Slack says
// are deactivated. It stops at the first candidate known to be active: a
// batch at a time (slackCheckBatch calls at once), all within
// slackCheckTimeout. Whoever Slack cannot answer for is taken as active: a
// lead offered to a gone rep times out and moves on.
func (a *App) deactivatedInSlack(ctx context.Context, teamID string, cands []pipeline.Choice) map[string]bool {
	gone := map[string]bool{}
	if a.slack == nil {
		return gone // no Slack to ask (salesbot import without a bot token)
	}
	ctx, cancel := context.WithTimeout(ctx, slackCheckTimeout)
	defer cancel()
	now := time.Now()
	for i := 0; i < len(cands) && ctx.Err() == nil; {
		var batch []string
		known := false // a candidate after the batch is known active
		for ; i < len(cands) && len(batch) < slackCheckBatch; i++ {
			if known = a.active.knows(teamID+"/"+cands[i].RepID, now); known {
				break
			}
			batch = append(batch, cands[i].RepID)
		}
		dead := make([]bool, len(batch))
		var wg sync.WaitGroup
		for j, id := range batch {
			wg.Go(func() { dead[j] = a.deactivated(ctx, teamID, id, now) })
		}
		wg.Wait()
		for j, id := range batch {
			if dead[j] {
				gone[id] = true
			}
		}
		if known || slices.Contains(dead, false) {
			break
		}
	}
	return gone
}

// deactivated asks Slack whether one person's account is deactivated,
// remembering an active answer.
func (a *App) deactivated(ctx context.Context, teamID, userID string, now time.Time) bool {
	u, err := a.slack.GetUserInfoContext(ctx, userID)
	if err != nil {
		a.log.Warn("users.info failed while routing; taking the rep as active", "team", teamID, "user", userID, "error", err)
		return false
	}
	if !u.Deleted {
		a.active.note(teamID+"/"+userID, now)
	}
	return u.Deleted
}

// errRollback undoes a transaction that found its work done already.
var errRollback = errors.New("rollback")

// createLead stores a lead from the New lead form: with its chosen owner, or
// routed when the owner was left empty, scored, and (for a routed lead) the
// owner's Accept/Reject offer queued, all in one transaction. created is
// false for a redelivered submission, which changes nothing.
func (a *App) createLead(ctx context.Context, lead pipeline.NewLead) (pipeline.Deal, bool, error) {
	var d pipeline.Deal
	var created bool
	a.store.WarmLeadQueries(ctx)
	err := a.store.WithTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		d, created, err = a.CreateRoutedLeadTx(ctx, tx, lead)
		switch {
		case err != nil:
			return err
		case !created:
			return errRollback // the routing choice must not count
		case lead.OwnerID != "" && lead.OwnerID != lead.CreatedBy:
			// An owner chosen in the form is offered the lead like /lead assign.
			return a.outbox.Enqueue(ctx, tx.Tx, handoffOffer(d, lead.CreatedBy))
		}
		return nil
	})
	if errors.Is(err, errRollback) {
		err = nil
	}
	if err == nil && created {
		d = a.scoreNew(ctx, d)
	}
	return d, created, err
}

// scoreNew scores a lead just created, in a transaction of its own: the
// creating transaction holds the workspace's deal-number lock, which every
// other new lead of the workspace waits for, so it stays as short as it can.
// The score is derived data: should this fail, the next change recomputes it.
func (a *App) scoreNew(ctx context.Context, d pipeline.Deal) pipeline.Deal {
	err := a.store.WithTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		d, err = a.rescored(ctx, tx, d)
		return err
	})
	if err != nil {
		a.log.Warn("score new lead", "team", d.WorkspaceID, "deal", d.Ref(), "error", err)
	}
	return d
}

// CreateRoutedLeadTx creates lead in tx: when lead.OwnerID is empty it is
// routed (RouteLead) and offered to the chosen rep with Accept / Reject
// through the outbox; with no rep available it stays with its creator. An
// owner given in lead is not sent an offer here (the caller does that), and
// the caller scores the deal after commit (scoreNew). created is false when lead.IdempotencyKey was
// used already; then roll tx back, so the routing choice does not count.
func (a *App) CreateRoutedLeadTx(ctx context.Context, tx *sqlx.Tx, lead pipeline.NewLead) (pipeline.Deal, bool, error) {
	var choice pipeline.Choice
	if lead.OwnerID == "" {
		var err error
		choice, err = a.route(ctx, tx, lead.WorkspaceID, pipeline.RouteInput{
			Industry: lead.Industry, Size: lead.CompanySize, Territory: lead.Territory})
		if err != nil && !errors.Is(err, ErrNoRep) {
			return pipeline.Deal{}, false, err
		}
		lead.OwnerID = choice.RepID
	}
	d, created, err := a.store.CreateLeadTx(ctx, tx, lead)
	if err != nil || !created {
		return d, created, err
	}
	if choice.RepID != "" {
		if err := a.store.MarkDealRouted(ctx, tx, d, choice.Reason); err != nil {
			return d, false, err
		}
	}
	if choice.RepID != "" && choice.RepID != lead.CreatedBy {
		if err := a.outbox.Enqueue(ctx, tx.Tx, routedOffer(d, choice.Reason)); err != nil {
			return d, false, err
		}
	}
	return d, true, nil
}

// routedOffer is the DM that offers a routed lead to its rep.
func routedOffer(d pipeline.Deal, reason string) outbox.Message {
	n := strconv.FormatInt(d.Number, 10)
	accept := slack.NewButtonBlockElement(actAccept, n, plain("Accept"))
	accept.Style = slack.StylePrimary
	reject := slack.NewButtonBlockElement(actReject, n, plain("Reject"))
	reject.Style = slack.StyleDanger
	blocks := append([]slack.Block{
		slack.NewSectionBlock(mrkdwn(fmt.Sprintf(":inbox_tray: New lead *%s* routed to you (%s). Will you take it?", d.Ref(), escape(reason))), nil, nil),
	}, dealCard(card{deal: d})...)
	blocks = append(blocks, slack.NewActionBlock("handoff:"+n, accept, reject))
	return outbox.Message{
		TeamID: d.WorkspaceID, Channel: d.OwnerID, Kind: "lead_routed",
		Text:   fmt.Sprintf("New lead %s (%s) routed to you. Accept or reject it.", d.Ref(), escape(d.AccountName)),
		Blocks: mustJSON(blocks),
	}
}
