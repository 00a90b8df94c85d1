package salesdb

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/store"
)

// AnswerHandoff records in.Actor's answer to the offer of a deal, in one
// transaction keyed by in.IdempotencyKey (ErrNotFound; ErrNotPending when
// the offer is not open with them). Accepting makes it theirs; rejecting
// gives it back to the previous owner, unless the bot had routed it: then
// it goes on to the next eligible rep (LeadRouted) and their manager is
// told (LeadRerouted) instead of the previous owner (HandoffAnswered).
func (s *Service) AnswerHandoff(ctx context.Context, in AnswerHandoff) (HandoffAnswer, error) {
	if err := validTarget(in.Team, in.Actor, in.Number, "deal"); err != nil {
		return HandoffAnswer{}, err
	}
	var res HandoffAnswer
	err := s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		cur, err := s.store.DealForUpdate(ctx, tx, in.Team, in.Number)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNotFound{Number: in.Number}
		}
		if err != nil {
			return err
		}
		if res.Deal, res.Previous, err = s.store.AnswerHandoff(ctx, tx, cur, in.Actor.ID, in.Accept, s.now()); err != nil {
			return err
		}
		if in.Accept {
			if err := s.roomOwnerChanged(ctx, tx, res.Deal, res.Previous); err != nil {
				return err
			}
		} else {
			if res.Next, err = s.afterReject(ctx, tx, res.Deal, in.Actor.ID); err != nil || res.Next != "" {
				return err // the manager is told instead
			}
		}
		return s.outbox.Enqueue(ctx, tx.Tx, HandoffAnswered{Deal: res.Deal, By: in.Actor.ID, Accepted: in.Accept, To: res.Previous})
	})
	if err != nil {
		return HandoffAnswer{}, err
	}
	return res, nil
}

// afterReject routes a rejected lead on to the next rep when the bot had
// routed it; a lead handed over by a person stays with them. It returns the
// new owner, or "" when the lead did not move on.
func (s *Service) afterReject(ctx context.Context, tx *sqlx.Tx, d pipeline.Deal, by string) (string, error) {
	rs, err := s.store.DealRouting(ctx, tx, d)
	if err != nil || !rs.Routed {
		return "", err
	}
	return s.Reroute(ctx, tx, d, by, false)
}

// Reroute offers deal d, which from just rejected or let lapse, to the next
// eligible rep (never one who declined it, nor its current owner) inside
// tx, and tells from's manager (or the lead's creator). With no one left
// the deal stays where it is, and the manager is told that instead. It
// returns the new owner, or "".
func (s *Service) Reroute(ctx context.Context, tx *sqlx.Tx, d pipeline.Deal, from string, lapsed bool) (string, error) {
	return s.reroute(ctx, tx, d, from, lapsed, time.Time{}, "")
}

// reroute is Reroute telling the manager, when missedBy is not zero, that
// from let an inbound lead's response deadline pass (shown in timezone tz).
func (s *Service) reroute(ctx context.Context, tx *sqlx.Tx, d pipeline.Deal, from string, lapsed bool, missedBy time.Time, tz string) (string, error) {
	rs, err := s.store.DealRouting(ctx, tx, d)
	if err != nil {
		return "", err
	}
	exclude := append(slices.Clone([]string(rs.Declined)), from, d.OwnerID)
	c, err := s.Route(ctx, tx, d.WorkspaceID, pipeline.RouteInput{
		Industry: rs.Industry, Size: rs.Size, Territory: rs.Territory, Exclude: exclude})
	if err != nil && !errors.Is(err, ErrNoRep) {
		return "", err
	}
	told := LeadRerouted{Deal: d, Manager: s.managerOf(ctx, d.WorkspaceID, from, rs.CreatedBy), From: from, Lapsed: lapsed,
		MissedBy: missedBy, Timezone: tz}
	if c.RepID != "" {
		next, err := s.store.OfferDeal(ctx, tx, d, c.RepID, "", s.now())
		if err != nil {
			return "", err
		}
		if err := s.store.MarkDealRouted(ctx, tx, next, c.Reason, s.now()); err != nil {
			return "", err
		}
		routed := LeadRouted{Deal: next, Reason: c.Reason}
		if routed.RespondBy, routed.Timezone, err = s.offerInbound(ctx, tx, next, c.RepID); err != nil {
			return "", err
		}
		if err := s.outbox.Enqueue(ctx, tx.Tx, routed); err != nil {
			return "", err
		}
		told.To, told.Reason = c.RepID, c.Reason
		if lapsed {
			// The rep's offer still shows its buttons: say it moved on.
			gone := OfferLapsed{Deal: d, Rep: from, To: c.RepID, MissedBy: missedBy, Timezone: tz}
			if err := s.outbox.Enqueue(ctx, tx.Tx, gone); err != nil {
				return "", err
			}
		}
	}
	if told.Manager == "" {
		return c.RepID, nil
	}
	return c.RepID, s.outbox.Enqueue(ctx, tx.Tx, told)
}

// managerOf is who hears about a rep's rejected or lapsed leads: their
// manager, else the lead's creator.
func (s *Service) managerOf(ctx context.Context, teamID, rep, creator string) string {
	u, err := s.store.User(ctx, s.store.DB(), teamID, rep)
	if err == nil && u.ManagerID != "" {
		return u.ManagerID
	}
	return creator
}
