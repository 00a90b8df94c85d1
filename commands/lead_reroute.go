package commands

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/outbox"
	"salesbot/pipeline"
	"salesbot/store"
)

// expiredBatch bounds how many timed-out handoffs one run re-routes; the
// next run takes the rest.
const expiredBatch = 200

// RerouteExpiredHandoffs is RerouteExpiredHandoffsTx in a transaction of
// its own.
func (a *App) RerouteExpiredHandoffs(ctx context.Context, teamID string, now time.Time) error {
	return a.store.WithTx(ctx, func(tx *sqlx.Tx) error {
		return a.RerouteExpiredHandoffsTx(ctx, tx, teamID, now)
	})
}

// RerouteExpiredHandoffsTx re-routes, in tx, the workspace's leads whose
// handoff has been pending longer than its handoff timeout, counted in
// working minutes (09:00–17:00 on the workspace's working days, in its
// timezone): the rep who let it lapse counts as having declined, the lead
// goes to the next eligible rep and that rep's manager (or the lead's
// creator) is told. The scheduler runs it in the transaction that claims
// the occurrence, so the re-routing and the claim commit together. Each
// lead changes in a savepoint of its own, so one failure does not hold back
// the others: the failed lead is logged, left pending, and tried again by
// the next run. Running it twice, or on several replicas at once,
// re-routes each lapse once.
func (a *App) RerouteExpiredHandoffsTx(ctx context.Context, tx *sqlx.Tx, teamID string, now time.Time) error {
	st, err := a.store.Settings(ctx, teamID)
	if err != nil {
		return fmt.Errorf("reroute handoffs: %w", err)
	}
	// Working time never runs faster than the clock: offers younger than the
	// timeout in plain minutes cannot have lapsed.
	cutoff := now.Add(-time.Duration(st.HandoffTimeoutMins) * time.Minute)
	pending, err := a.store.ExpiredHandoffs(ctx, teamID, cutoff, expiredBatch)
	if err != nil {
		return fmt.Errorf("reroute handoffs: %w", err)
	}
	loc := location(st.Timezone)
	for _, p := range pending {
		if pipeline.WorkingMinutes(p.OfferedAt, now, loc, st.WorkingDays) < st.HandoffTimeoutMins {
			break // oldest first: the younger ones have not lapsed either
		}
		n := p.Number
		err := a.store.Savepoint(ctx, tx, func() error {
			d, err := a.store.DealForUpdate(ctx, tx, teamID, n)
			if err != nil {
				return err
			}
			from, err := a.store.ExpireHandoff(ctx, tx, d, p.OfferedAt)
			if err != nil {
				return err
			}
			_, err = a.reroute(ctx, tx, d, from, "did not answer in time")
			return err
		})
		switch {
		case err == nil, errors.Is(err, store.ErrNotPending):
		case ctx.Err() != nil:
			return fmt.Errorf("reroute %s: %w", pipeline.FormatRef(n), err)
		default:
			a.log.ErrorContext(ctx, "reroute handoffs: a lead stays pending until the next run",
				"team", teamID, "deal", pipeline.FormatRef(n), "error", err)
		}
	}
	return nil
}

// afterReject routes a rejected lead on to the next rep when the bot had
// routed it; a lead handed over by a person stays with them. It returns the
// new owner, or "" when the lead did not move on.
func (a *App) afterReject(ctx context.Context, tx *sqlx.Tx, d pipeline.Deal, by string) (string, error) {
	rs, err := a.store.DealRouting(ctx, tx, d)
	if err != nil || !rs.Routed {
		return "", err
	}
	return a.reroute(ctx, tx, d, by, "rejected it")
}

// reroute offers deal d, which `from` just rejected or let lapse, to the next
// eligible rep (never one who declined it, nor its current owner), and tells
// from's manager. With no one left the deal stays where it is, and the
// manager is told that instead.
func (a *App) reroute(ctx context.Context, tx *sqlx.Tx, d pipeline.Deal, from, what string) (string, error) {
	rs, err := a.store.DealRouting(ctx, tx, d)
	if err != nil {
		return "", err
	}
	exclude := append(slices.Clone([]string(rs.Declined)), from, d.OwnerID)
	c, err := a.route(ctx, tx, d.WorkspaceID, pipeline.RouteInput{
		Industry: rs.Industry, Size: rs.Size, Territory: rs.Territory, Exclude: exclude})
	if err != nil && !errors.Is(err, ErrNoRep) {
		return "", err
	}
	manager := a.managerOf(ctx, d.WorkspaceID, from, rs.CreatedBy)
	if c.RepID == "" {
		return "", a.tellManager(ctx, tx, d, manager, fmt.Sprintf(":warning: %s %s %s (%s), and no other rep can take it now; it stays with %s.",
			userMention(from), what, d.Ref(), escape(d.AccountName), userMention(d.OwnerID)))
	}
	next, err := a.store.OfferDeal(ctx, tx, d, c.RepID, "")
	if err != nil {
		return "", err
	}
	if err := a.store.MarkDealRouted(ctx, tx, next, c.Reason); err != nil {
		return "", err
	}
	if err := a.outbox.Enqueue(ctx, tx.Tx, routedOffer(next, c.Reason)); err != nil {
		return "", err
	}
	return c.RepID, a.tellManager(ctx, tx, d, manager, fmt.Sprintf(":leftwards_arrow_with_hook: %s %s %s (%s); it went to %s (%s).",
		userMention(from), what, d.Ref(), escape(d.AccountName), userMention(c.RepID), escape(c.Reason)))
}

// managerOf is who hears about a rep's rejected or lapsed leads: their
// manager, else the lead's creator.
func (a *App) managerOf(ctx context.Context, teamID, rep, creator string) string {
	u, err := a.store.User(ctx, teamID, rep)
	if err == nil && u.ManagerID != "" {
		return u.ManagerID
	}
	return creator
}

func (a *App) tellManager(ctx context.Context, tx *sqlx.Tx, d pipeline.Deal, to, text string) error {
	if to == "" {
		return nil
	}
	return a.outbox.Enqueue(ctx, tx.Tx, outbox.Message{TeamID: d.WorkspaceID, Channel: to, Kind: "handoff_rerouted", Text: text})
}
