package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// inbound reads a deal's inbound column; nil when the lead came from Slack.
func inbound(raw []byte) *pipeline.Inbound {
	if len(raw) == 0 {
		return nil
	}
	var in pipeline.Inbound
	if json.Unmarshal(raw, &in) != nil {
		return nil
	}
	return &in
}

// inboundParam writes lead data for the inbound column; NULL for nil.
func inboundParam(in *pipeline.Inbound) sql.NullString {
	if in == nil {
		return sql.NullString{}
	}
	b, err := json.Marshal(in)
	if err != nil {
		return sql.NullString{}
	}
	return sql.NullString{String: string(b), Valid: true}
}

// respondedAt is when the rep of offer o first answered it: accepted the
// lead, logged an activity or set a follow-up on it, no earlier than the
// offer and no later than $N (the time the caller looks). A decline is no
// answer: it ends the offer otherwise.
const respondedAt = `
LEAST(
    (SELECT min(h.created_at) FROM deal_history h
     WHERE h.workspace_id = o.workspace_id AND h.deal_id = o.deal_id AND h.actor_id = o.rep_id
       AND h.action = 'handoff' AND h.new_value = 'accepted' AND h.created_at >= o.offered_at AND h.created_at <= $%[1]d),
    (SELECT min(a.created_at) FROM activities a
     WHERE a.workspace_id = o.workspace_id AND a.deal_id = o.deal_id AND a.author_id = o.rep_id
       AND a.created_at >= o.offered_at AND a.created_at <= $%[1]d),
    (SELECT min(f.created_at) FROM follow_ups f
     WHERE f.workspace_id = o.workspace_id AND f.deal_id = o.deal_id AND f.created_by = o.rep_id
       AND f.created_at >= o.offered_at AND f.created_at <= $%[1]d))`

const openOffer = `o.responded_at IS NULL AND o.missed_at IS NULL AND o.closed_at IS NULL`

// A new offer ends the deal's open ones: answered when their rep answered,
// else closed (declined, handed on).
var closeDealOffers = `
UPDATE lead_offers o SET
    responded_at = r.at,
    closed_at = CASE WHEN r.at IS NULL THEN $3::timestamptz END
FROM (SELECT o.id, ` + fmt.Sprintf(respondedAt, 3) + ` AS at
      FROM lead_offers o WHERE o.workspace_id = $1 AND o.deal_id = $2 AND ` + openOffer + `) r
WHERE o.id = r.id`

const insertOffer = `
INSERT INTO lead_offers (workspace_id, deal_id, rep_id, offered_at, respond_by)
VALUES ($1, $2, $3, $4, $5)`

// OfferInbound records that inbound deal d was offered to rep at offeredAt,
// to be answered by respondBy, ending the deal's earlier open offers.
func (s *Store) OfferInbound(ctx context.Context, ex Executor, d pipeline.Deal, rep string, offeredAt, respondBy time.Time) error {
	if err := s.exec(ctx, ex, closeDealOffers, d.WorkspaceID, d.ID, offeredAt); err != nil {
		return fmt.Errorf("store: offer %s: close earlier offers: %w", d.Ref(), err)
	}
	if err := s.exec(ctx, ex, insertOffer, d.WorkspaceID, d.ID, rep, offeredAt, respondBy); err != nil {
		return fmt.Errorf("store: offer %s to %s: %w", d.Ref(), rep, err)
	}
	return nil
}

// Answers found for the workspace's open offers, up to now.
var settleOffers = `
UPDATE lead_offers o SET responded_at = r.at
FROM (SELECT o.id, ` + fmt.Sprintf(respondedAt, 2) + ` AS at
      FROM lead_offers o WHERE o.workspace_id = $1 AND ` + openOffer + `) r
WHERE o.id = r.id AND r.at IS NOT NULL`

// SettleOffers marks the workspace's open offers whose rep has answered by
// now (accepted, logged an activity, set a follow-up) as answered then.
func (s *Store) SettleOffers(ctx context.Context, ex Executor, teamID string, now time.Time) error {
	if err := s.exec(ctx, ex, settleOffers, teamID, now); err != nil {
		return fmt.Errorf("store: settle offers of %s: %w", teamID, err)
	}
	return nil
}

// One open offer's answer, when its rep has answered by now.
var settleOffer = `
UPDATE lead_offers o SET responded_at = r.at
FROM (SELECT o.id, ` + fmt.Sprintf(respondedAt, 3) + ` AS at
      FROM lead_offers o WHERE o.workspace_id = $1 AND o.id = $2 AND ` + openOffer + `) r
WHERE o.id = r.id AND r.at IS NOT NULL`

// SettleOffer is SettleOffers for the open offer id alone; true when its
// rep has answered it by now (and it is now recorded so).
func (s *Store) SettleOffer(ctx context.Context, ex Executor, teamID string, id int64, now time.Time) (bool, error) {
	return s.endOffer(ctx, ex, settleOffer, teamID, id, now)
}

const selectDueOffers = `
SELECT o.id, d.number, o.rep_id, o.offered_at, o.respond_by
FROM lead_offers o JOIN deals d ON d.workspace_id = o.workspace_id AND d.id = o.deal_id
WHERE o.workspace_id = $1 AND o.respond_by <= $2 AND ` + openOffer + `
ORDER BY o.respond_by
LIMIT $3`

// DueOffer is an unanswered offer whose deadline has passed.
type DueOffer struct {
	ID        int64     `db:"id"`
	Number    int64     `db:"number"`
	RepID     string    `db:"rep_id"`
	OfferedAt time.Time `db:"offered_at"`
	RespondBy time.Time `db:"respond_by"`
}

// DueOffers returns up to limit of the workspace's open offers due by now,
// the earliest deadline first. Call SettleOffers first in the same
// transaction, so that answered offers are not among them.
func (s *Store) DueOffers(ctx context.Context, ex Executor, teamID string, now time.Time, limit int) ([]DueOffer, error) {
	var out []DueOffer
	if err := sqlx.SelectContext(ctx, ex, &out, selectDueOffers, teamID, now, limit); err != nil {
		return nil, fmt.Errorf("store: due offers of %s: %w", teamID, err)
	}
	return out, nil
}

const missOffer = `UPDATE lead_offers o SET missed_at = $3 WHERE o.workspace_id = $1 AND o.id = $2 AND ` + openOffer

const closeOffer = `UPDATE lead_offers o SET closed_at = $3 WHERE o.workspace_id = $1 AND o.id = $2 AND ` + openOffer

// MissOffer marks the open offer id as missed at now; false when it had
// ended already (answered, missed by a run before, closed).
func (s *Store) MissOffer(ctx context.Context, ex Executor, teamID string, id int64, now time.Time) (bool, error) {
	return s.endOffer(ctx, ex, missOffer, teamID, id, now)
}

// CloseOffer ends the open offer id at now without an answer or a miss: the
// lead is no longer the rep's to answer.
func (s *Store) CloseOffer(ctx context.Context, ex Executor, teamID string, id int64, now time.Time) (bool, error) {
	return s.endOffer(ctx, ex, closeOffer, teamID, id, now)
}

func (s *Store) endOffer(ctx context.Context, ex Executor, q, teamID string, id int64, now time.Time) (bool, error) {
	res, err := ex.ExecContext(ctx, q, teamID, id, now)
	if err != nil {
		return false, fmt.Errorf("store: end offer %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Speed to lead per rep over the offers made in [from, to): the minutes from
// the offer to the rep's answer, their median and 90th percentile, and the
// offers whose deadline passed unanswered (missed, or answered late).
const selectSpeedToLead = `
SELECT o.rep_id,
       count(o.responded_at) AS answered,
       COALESCE(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM o.responded_at - o.offered_at)), 0) AS median_secs,
       COALESCE(percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM o.responded_at - o.offered_at)), 0) AS p90_secs,
       count(*) FILTER (WHERE o.missed_at IS NOT NULL OR o.responded_at > o.respond_by) AS missed
FROM lead_offers o
WHERE o.workspace_id = $1 AND o.offered_at >= $2 AND o.offered_at < $3
  AND (o.responded_at IS NOT NULL OR o.missed_at IS NOT NULL)
GROUP BY o.rep_id
ORDER BY o.rep_id`

type speedRow struct {
	RepID      string  `db:"rep_id"`
	Answered   int     `db:"answered"`
	MedianSecs float64 `db:"median_secs"`
	P90Secs    float64 `db:"p90_secs"`
	Missed     int     `db:"missed"`
}

// SpeedToLead returns, per rep with an answered or missed offer made in
// [from, to), how fast they answered and how many deadlines they let pass.
func (s *Store) SpeedToLead(ctx context.Context, ex Executor, teamID string, from, to time.Time) ([]pipeline.RepSpeed, error) {
	var rows []speedRow
	if err := sqlx.SelectContext(ctx, ex, &rows, selectSpeedToLead, teamID, from, to); err != nil {
		return nil, fmt.Errorf("store: speed to lead of %s: %w", teamID, err)
	}
	out := make([]pipeline.RepSpeed, len(rows))
	for i, r := range rows {
		out[i] = pipeline.RepSpeed{RepID: r.RepID, Answered: r.Answered, Missed: r.Missed,
			Median: time.Duration(r.MedianSecs * float64(time.Second)).Round(time.Second),
			P90:    time.Duration(r.P90Secs * float64(time.Second)).Round(time.Second)}
	}
	return out, nil
}

// Serialises inbound leads of one workspace that could repeat each other,
// so two at once cannot both miss the other and both be created.
const lockDuplicate = `SELECT pg_advisory_xact_lock(hashtextextended('salesbot/dup/' || $1::text || '/' || $2::text, 0))`

// An open deal of the workspace with this contact email (any case), or,
// when no email is given, on an account of this name (normalised: case and
// spaces); the most recently active first.
const selectOpenDuplicate = selectDeals + `
WHERE d.workspace_id = $1 AND d.stage NOT IN ('won', 'lost')
  AND CASE WHEN $2::text <> '' THEN lower(c.email) = $2::text
           ELSE regexp_replace(lower(btrim(a.name)), '\s+', ' ', 'g') = $3::text END
ORDER BY d.last_activity_at DESC, d.id DESC
LIMIT 1`

// NormalCompany is a company name as duplicates are matched: lower case,
// spaces trimmed and runs of them made one.
func NormalCompany(name string) string {
	return strings.Join(strings.Fields(strings.ToLower(name)), " ")
}

// OpenDuplicate locks the workspace's duplicate check for this email or
// company until ex ends and returns the open deal the lead repeats: by
// email (case-insensitive) when email is given, else by company name
// (NormalCompany). ErrNotFound when none does.
func (s *Store) OpenDuplicate(ctx context.Context, ex Executor, teamID, email, company string) (pipeline.Deal, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	company = NormalCompany(company)
	key := "email:" + email
	if email == "" {
		key = "company:" + company
	}
	if err := s.exec(ctx, ex, lockDuplicate, teamID, key); err != nil {
		return pipeline.Deal{}, fmt.Errorf("store: lock duplicate check: %w", err)
	}
	var row dealRow
	if err := sqlx.GetContext(ctx, ex, &row, selectOpenDuplicate, teamID, email, company); err != nil {
		return pipeline.Deal{}, fmt.Errorf("store: open duplicate: %w", notFound(err))
	}
	return row.deal(), nil
}

const insertDuplicate = `
INSERT INTO lead_duplicates (workspace_id, idempotency_key, deal_id, fingerprint, created_at)
VALUES ($1, $2, $3, $4, $5)`

const selectDuplicateByKey = `
SELECT deal_id, fingerprint FROM lead_duplicates WHERE workspace_id = $1 AND idempotency_key = $2`

// RecordDuplicate remembers that the lead sent with key was logged on deal
// d; fingerprint tells a replay of the same lead from another lead.
func (s *Store) RecordDuplicate(ctx context.Context, ex Executor, d pipeline.Deal, key, fingerprint string, now time.Time) error {
	if err := s.exec(ctx, ex, insertDuplicate, d.WorkspaceID, key, d.ID, fingerprint, now); err != nil {
		return fmt.Errorf("store: record duplicate lead on %s: %w", d.Ref(), err)
	}
	return nil
}

// DuplicateByKey returns the deal a lead sent with key was logged on, and
// that lead's fingerprint; ErrNotFound when key made no duplicate. Call it
// under the key's lock (CreateLead takes it).
func (s *Store) DuplicateByKey(ctx context.Context, ex Executor, teamID, key string) (pipeline.Deal, string, error) {
	var row struct {
		DealID      int64  `db:"deal_id"`
		Fingerprint string `db:"fingerprint"`
	}
	if err := sqlx.GetContext(ctx, ex, &row, selectDuplicateByKey, teamID, key); err != nil {
		return pipeline.Deal{}, "", fmt.Errorf("store: duplicate by key: %w", notFound(err))
	}
	d, err := s.dealByID(ctx, ex, teamID, row.DealID)
	return d, row.Fingerprint, err
}

// LockLeadKey takes the lock CreateLead takes on a lead's idempotency key,
// until ex ends.
func (s *Store) LockLeadKey(ctx context.Context, ex Executor, teamID, key string) error {
	return s.exec(ctx, ex, lockIdempotencyKey, teamID, key)
}

// DealByKey returns the deal created with the idempotency key, or ErrNotFound.
func (s *Store) DealByKey(ctx context.Context, ex Executor, teamID, key string) (pipeline.Deal, error) {
	return s.dealByKey(ctx, ex, teamID, key)
}
