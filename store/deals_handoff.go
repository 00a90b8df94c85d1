package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// Errors of a lead handoff; their text can be shown to people.
var (
	// ErrNotPending: the offer was accepted, rejected or withdrawn already,
	// or the person answering is no longer the one it was made to.
	ErrNotPending = pipeline.ErrNotPending
	// ErrAlreadyOwner: the deal is offered to the person who owns it.
	ErrAlreadyOwner = pipeline.ErrAlreadyOwner
)

// handoff_from is whom a rejection gives the deal back to: the owner before
// the offer, or, when the deal is re-offered while still pending, whoever
// the first offer came from (the pending owner never had it). Someone who
// takes a deal themselves has nothing to accept, as when they create a lead
// for themselves.
const offerDeal = `
WITH old AS (
    SELECT id, owner_id,
           CASE WHEN handoff_state = 'pending' THEN COALESCE(handoff_from, created_by) ELSE owner_id END AS giver
    FROM deals
    WHERE workspace_id = $1 AND id = $2 AND owner_id <> $3::text
    FOR UPDATE
)
UPDATE deals d SET
    handoff_from = old.giver,
    owner_id = $3::text,
    handoff_state = CASE WHEN $3::text = $4::text THEN 'none' ELSE 'pending' END,
    handoff_offered_at = CASE WHEN $3::text = $4::text THEN NULL ELSE $5::timestamptz END,
    accepted_at = NULL,
    routed = false, -- a person's offer; routing marks its own (MarkDealRouted)
    updated_at = $5::timestamptz
FROM old
WHERE d.id = old.id
RETURNING old.owner_id`

// Only the person the deal is pending with can answer, once: a second answer
// waits for the first's row lock, then no longer finds the deal pending. The
// deal goes back to whoever offered it, or to its creator for a lead that
// was created straight into someone else's hands. A rejection also lands the
// rep on handoff_declined, which routing skips.
const answerHandoff = `
WITH cur AS (
    SELECT id, COALESCE(handoff_from, created_by) AS prev FROM deals
    WHERE workspace_id = $1 AND id = $2 AND handoff_state = 'pending' AND owner_id = $3
    FOR UPDATE
)
UPDATE deals d SET
    owner_id = CASE WHEN $4 THEN d.owner_id ELSE cur.prev END,
    handoff_state = CASE WHEN $4 THEN 'accepted' ELSE 'none' END,
    accepted_at = CASE WHEN $4 THEN $5::timestamptz END,
    handoff_offered_at = CASE WHEN $4 THEN d.handoff_offered_at END,
    handoff_from = CASE WHEN $4 THEN d.handoff_from END,
    handoff_declined = CASE WHEN $4 OR $3 = ANY(d.handoff_declined) THEN d.handoff_declined
                            ELSE array_append(d.handoff_declined, $3::text) END,
    updated_at = $5::timestamptz
FROM cur
WHERE d.id = cur.id
RETURNING cur.prev`

// OfferDeal hands deal d to toUserID in one transaction (ex when it is
// one; recording them if new) and
// appends an "owner" history entry (old → new owner). The new owner must
// accept: the deal is pending, offered at now, until AnswerHandoff, unless actorID gives the
// deal to themselves. ErrAlreadyOwner when toUserID owns it already,
// ErrNotFound when the workspace has no such deal.
func (s *Store) OfferDeal(ctx context.Context, ex Executor, d pipeline.Deal, toUserID, actorID string, now time.Time) (pipeline.Deal, error) {
	var out pipeline.Deal
	err := s.inTx(ctx, ex, func(tx *sqlx.Tx) (err error) {
		out, err = s.offerDeal(ctx, tx, d, toUserID, actorID, now)
		return err
	})
	if err != nil {
		return pipeline.Deal{}, fmt.Errorf("store: offer %s to %s: %w", d.Ref(), toUserID, err)
	}
	return out, nil
}

func (s *Store) offerDeal(ctx context.Context, ex Executor, d pipeline.Deal, to, actor string, now time.Time) (pipeline.Deal, error) {
	if to == "" {
		return pipeline.Deal{}, errors.New("no one to offer it to")
	}
	if err := s.ensurePeople(ctx, ex, d.WorkspaceID, to, actor); err != nil {
		return pipeline.Deal{}, err
	}
	var prev string
	if err := s.get(ctx, ex, &prev, offerDeal, d.WorkspaceID, d.ID, to, actor, now); err != nil {
		if err = notFound(err); errors.Is(err, ErrNotFound) && errors.Is(s.missing(ctx, ex, d.WorkspaceID, d.ID), ErrConflict) {
			err = ErrAlreadyOwner
		}
		return pipeline.Deal{}, err
	}
	if err := s.appendHistory(ctx, ex, d.WorkspaceID, d.ID, actor, now, entry{actionOwner, "owner", prev, to}); err != nil {
		return pipeline.Deal{}, err
	}
	return s.dealByID(ctx, ex, d.WorkspaceID, d.ID)
}

// AnswerHandoff records userID's answer to the offer of deal d through ex and
// returns the deal and its previous owner. Accepting marks the deal
// accepted at now; rejecting gives it back to the previous owner and remembers that
// userID declined it. History gets a "handoff" entry (new value accepted or
// rejected) and, on a rejection, an "owner" entry back. ErrNotPending when
// the deal is not pending with userID (answered already, or offered to
// someone else since); ErrNotFound when the workspace has no such deal.
func (s *Store) AnswerHandoff(ctx context.Context, ex Executor, d pipeline.Deal, userID string, accept bool, now time.Time) (pipeline.Deal, string, error) {
	var out pipeline.Deal
	var prev string
	err := s.inTx(ctx, ex, func(tx *sqlx.Tx) (err error) {
		out, prev, err = s.answerHandoff(ctx, tx, d, userID, accept, now)
		return err
	})
	if err != nil {
		return pipeline.Deal{}, "", fmt.Errorf("store: answer offer of %s: %w", d.Ref(), err)
	}
	return out, prev, nil
}

func (s *Store) answerHandoff(ctx context.Context, ex Executor, d pipeline.Deal, user string, accept bool, now time.Time) (pipeline.Deal, string, error) {
	var prev string
	if err := s.get(ctx, ex, &prev, answerHandoff, d.WorkspaceID, d.ID, user, accept, now); err != nil {
		if err = notFound(err); errors.Is(err, ErrNotFound) && errors.Is(s.missing(ctx, ex, d.WorkspaceID, d.ID), ErrConflict) {
			err = ErrNotPending
		}
		return pipeline.Deal{}, "", err
	}
	entries := []entry{{actionHandoff, "handoff", "pending", "accepted"}}
	if !accept {
		entries = []entry{{actionHandoff, "handoff", "pending", "rejected"}, {actionOwner, "owner", user, prev}}
	}
	if err := s.appendHistory(ctx, ex, d.WorkspaceID, d.ID, user, now, entries...); err != nil {
		return pipeline.Deal{}, "", err
	}
	out, err := s.dealByID(ctx, ex, d.WorkspaceID, d.ID)
	return out, prev, err
}

// Pending handoffs offered before the cutoff, oldest first (deals_handoff_idx).
const selectExpiredHandoffs = `
SELECT number, handoff_offered_at FROM deals
WHERE workspace_id = $1 AND handoff_state = 'pending' AND handoff_offered_at < $2
ORDER BY handoff_offered_at
LIMIT $3`

// A handoff nobody answered in time: the owner counts as having declined.
// "pending AND offered no later than the offer that lapsed" makes a second
// run, an answer that came first or a newer offer change nothing.
const expireHandoff = `
UPDATE deals SET handoff_state = 'none',
    handoff_declined = CASE WHEN owner_id = ANY(handoff_declined) THEN handoff_declined
                            ELSE array_append(handoff_declined, owner_id) END,
    updated_at = $4
WHERE workspace_id = $1 AND id = $2 AND handoff_state = 'pending' AND handoff_offered_at <= $3
RETURNING owner_id`

// PendingHandoff is a deal waiting for its owner to accept it.
type PendingHandoff struct {
	Number    int64     `db:"number"`
	OfferedAt time.Time `db:"handoff_offered_at"`
}

// ExpiredHandoffs returns up to limit deals whose handoff has been pending
// since before cutoff, oldest first.
func (s *Store) ExpiredHandoffs(ctx context.Context, ex Executor, teamID string, cutoff time.Time, limit int) ([]PendingHandoff, error) {
	var out []PendingHandoff
	if err := sqlx.SelectContext(ctx, ex, &out, selectExpiredHandoffs, teamID, cutoff, limit); err != nil {
		return nil, fmt.Errorf("store: expired handoffs of %s: %w", teamID, err)
	}
	return out, nil
}

// ExpireHandoff ends deal d's pending handoff offered at or before cutoff: the
// owner it waited on is added to the decliners and returned, and history
// gets a "handoff" entry (timed out) by the bot, at now. ErrNotPending when it was
// answered or re-offered meanwhile.
func (s *Store) ExpireHandoff(ctx context.Context, ex Executor, d pipeline.Deal, cutoff, now time.Time) (string, error) {
	var out string
	err := s.inTx(ctx, ex, func(tx *sqlx.Tx) (err error) {
		out, err = s.expireHandoff(ctx, tx, d, cutoff, now)
		return err
	})
	return out, err
}

func (s *Store) expireHandoff(ctx context.Context, ex Executor, d pipeline.Deal, cutoff, now time.Time) (string, error) {
	var owner string
	if err := sqlx.GetContext(ctx, ex, &owner, expireHandoff, d.WorkspaceID, d.ID, cutoff, now); err != nil {
		if errors.Is(notFound(err), ErrNotFound) {
			return "", fmt.Errorf("store: expire handoff of %s: %w", d.Ref(), ErrNotPending)
		}
		return "", fmt.Errorf("store: expire handoff of %s: %w", d.Ref(), err)
	}
	if err := s.appendHistory(ctx, ex, d.WorkspaceID, d.ID, "", now, entry{actionHandoff, "handoff", "pending", "timed out"}); err != nil {
		return "", fmt.Errorf("store: expire handoff of %s: %w", d.Ref(), err)
	}
	return owner, nil
}
