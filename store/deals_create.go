package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// Serialises submissions that carry the same idempotency key in a workspace,
// until the first one commits; the key's unique index is the backstop.
const lockIdempotencyKey = `SELECT pg_advisory_xact_lock(hashtextextended('salesbot/lead/' || $1::text || '/' || $2::text, 0))`

// insertLeadDeal stores the deal, its first history entry and its first note
// in one statement. The number comes from bumping the workspace's counter
// rather than from max(number)+1 (two transactions would read the same max)
// or a sequence (one per workspace, with gaps on every rollback): the UPDATE
// takes the workspace row's lock, so numbers are gapless and unique per
// workspace, and a rollback hands the number back. That lock serialises lead
// creation within one workspace only, from this statement to commit, which is
// why it is the last statement of the transaction.
const insertLeadDeal = `
WITH n AS (
    UPDATE workspaces SET next_deal_number = next_deal_number + 1
    WHERE id = $1
    RETURNING next_deal_number - 1 AS number
), d AS (
    INSERT INTO deals (workspace_id, number, title, account_id, contact_id, stage, amount_minor, currency,
        expected_close, source, owner_id, created_by, handoff_state, handoff_offered_at, idempotency_key,
        created_at, updated_at, last_activity_at, score, qualification, inbound)
    SELECT $1, n.number, $2::text, $3::bigint, $4::bigint, 'lead', $5::bigint,
        COALESCE(NULLIF($6::text, ''), (SELECT currency FROM workspace_settings WHERE workspace_id = $1)),
        $7::date, $8::text, $9::text, $10::text,
        CASE WHEN $9::text = $10::text THEN 'none' ELSE 'pending' END,
        CASE WHEN $9::text = $10::text THEN NULL ELSE $13::timestamptz END,
        NULLIF($11::text, ''), $13::timestamptz, $13::timestamptz, $13::timestamptz,
        $14::smallint,
        CASE WHEN $15::jsonb IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('reasons', $15::jsonb) END,
        $16::jsonb
    FROM n
    RETURNING id, number, currency, created_at, updated_at, last_activity_at
), h AS (
    INSERT INTO deal_history (workspace_id, deal_id, actor_id, action, new_value, created_at)
    SELECT $1, d.id, $10::text, 'created', $2::text, $13::timestamptz FROM d
), a AS (
    INSERT INTO activities (workspace_id, deal_id, author_id, kind, body, created_at)
    SELECT $1, d.id, $10::text, 'note', $12::text, $13::timestamptz FROM d WHERE $12::text <> ''
)
SELECT id, number, currency, created_at, updated_at, last_activity_at FROM d`

// leadQueries are the statements of a New-lead submission, prepared ahead.
var leadQueries = []string{lockIdempotencyKey, selectDealByKey, insertUserIDs, upsertAccountSQL,
	upsertContactByEmail, upsertContactByName, insertLeadDeal}

type insertedDeal struct {
	ID             int64     `db:"id"`
	Number         int64     `db:"number"`
	Currency       string    `db:"currency"`
	CreatedAt      time.Time `db:"created_at"`
	UpdatedAt      time.Time `db:"updated_at"`
	LastActivityAt time.Time `db:"last_activity_at"`
}

// CreateLead stores a new lead through ex: its account (reused when the
// workspace has one of the same name, whatever the case), its contact (when
// a name or email is given), the deal at stage lead with the next D-number,
// owned by lead.OwnerID or else its creator, the first history entry and the
// notes as a first activity, all in one transaction: ex when it is one (so
// that the messages the new lead causes, such as the owner's handoff, commit
// with it; commit promptly, as until then the transaction holds the
// workspace's deal-number counter), else one of its own. A lead owned by
// someone other than its creator waits for them to accept it (handoff
// pending). now is when it happens: the deal's creation and last activity,
// and the handoff's offer time.
//
// When lead.IdempotencyKey was already used in the workspace, even by a
// concurrent call, it writes nothing and returns that deal with created false.
func (s *Store) CreateLead(ctx context.Context, ex Executor, lead pipeline.NewLead, now time.Time) (deal pipeline.Deal, created bool, err error) {
	return s.CreateScoredLead(ctx, ex, lead, nil, now)
}

// LeadScorer scores a new lead from what it is stored with.
type LeadScorer func(pipeline.ScoreInput) (score int, reasons []string)

// CreateScoredLead is CreateLead storing the lead with the score that score
// gives it (none when nil), computed from the lead as stored: its account's
// industry and size (an existing account keeps its own), its source and
// value, and its notes as its one activity. The score is written by the
// statement that inserts the deal: no statement more, and no longer hold on
// the deal-number counter.
func (s *Store) CreateScoredLead(ctx context.Context, ex Executor, lead pipeline.NewLead, score LeadScorer, now time.Time) (deal pipeline.Deal, created bool, err error) {
	if _, ok := ex.(*sqlx.Tx); !ok {
		s.warm(ctx, leadQueries...)
	}
	err = s.inTx(ctx, ex, func(tx *sqlx.Tx) error {
		deal, created, err = s.createLead(ctx, tx, lead, score, now)
		return err
	})
	if err != nil {
		return pipeline.Deal{}, false, fmt.Errorf("store: create lead: %w", err)
	}
	return deal, created, nil
}

func (s *Store) createLead(ctx context.Context, ex Executor, lead pipeline.NewLead, score LeadScorer, now time.Time) (pipeline.Deal, bool, error) {
	if lead.WorkspaceID == "" || lead.CreatedBy == "" || lead.Company == "" {
		return pipeline.Deal{}, false, errors.New("workspace, creator and company are required")
	}
	ws := lead.WorkspaceID
	if lead.Title == "" {
		lead.Title = lead.Company
	}
	owner := lead.OwnerID
	if owner == "" {
		owner = lead.CreatedBy
	}
	if key := lead.IdempotencyKey; key != "" {
		if err := s.exec(ctx, ex, lockIdempotencyKey, ws, key); err != nil {
			return pipeline.Deal{}, false, fmt.Errorf("lock idempotency key: %w", err)
		}
		d, err := s.dealByKey(ctx, ex, ws, key)
		if err == nil {
			return d, false, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return pipeline.Deal{}, false, err
		}
	}
	if err := s.ensureUserIDs(ctx, ex, ws, lead.CreatedBy, owner); err != nil {
		return pipeline.Deal{}, false, err
	}
	acct, err := s.upsertAccount(ctx, ex, ws, lead.Company, lead.Industry, lead.CompanySize)
	if err != nil {
		return pipeline.Deal{}, false, err
	}
	var ct contact
	var contactID *int64
	if lead.ContactName != "" || lead.ContactEmail != "" {
		if ct, err = s.upsertContact(ctx, ex, ws, acct.ID, lead.ContactName, lead.ContactEmail); err != nil {
			return pipeline.Deal{}, false, err
		}
		contactID = &ct.ID
	}
	var points int
	var reasons []string
	var reasonsJSON *string // NULL: no score
	if score != nil {
		in := pipeline.ScoreInput{Industry: acct.Industry, CompanySize: acct.Size, Source: lead.Source, Value: lead.Value}
		if lead.Notes != "" {
			in.Activities30d = 1 // the note stored with it, just now
		}
		points, reasons = score(in)
		b, err := json.Marshal(append([]string{}, reasons...))
		if err != nil {
			return pipeline.Deal{}, false, fmt.Errorf("encode score reasons: %w", err)
		}
		reasonsJSON = new(string(b))
	}
	var ins insertedDeal
	if err := s.get(ctx, ex, &ins, insertLeadDeal, ws, lead.Title, acct.ID, contactID,
		lead.Value.Minor, lead.Value.Currency, dateParam(lead.ExpectedClose), lead.Source, owner,
		lead.CreatedBy, lead.IdempotencyKey, lead.Notes, now, points, reasonsJSON, inboundParam(lead.Inbound)); err != nil {
		return pipeline.Deal{}, false, fmt.Errorf("insert deal: %w", err)
	}
	return pipeline.Deal{
		Score: points, ScoreReasons: reasons,
		ID: ins.ID, WorkspaceID: ws, Number: ins.Number, Title: lead.Title,
		AccountID: acct.ID, AccountName: acct.Name,
		ContactID: ct.ID, ContactName: ct.Name, ContactEmail: ct.Email,
		Stage:         pipeline.StageLead,
		Value:         pipeline.Money{Minor: lead.Value.Minor, Currency: ins.Currency},
		ExpectedClose: dateOnly(lead.ExpectedClose),
		Source:        lead.Source, OwnerID: owner, CreatedBy: lead.CreatedBy,
		CreatedAt: ins.CreatedAt, UpdatedAt: ins.UpdatedAt, LastActivityAt: ins.LastActivityAt,
		Inbound: lead.Inbound,
	}, true, nil
}

// Follow-on deal kinds: more of the same to a customer, or something else.
const (
	KindUpsell    = pipeline.KindUpsell
	KindCrossSell = pipeline.KindCrossSell
)

// The number comes from the workspace's counter as in insertLeadDeal (see
// there why); the counter is only bumped when the parent is the workspace's
// deal, so a wrong parent uses up no number. The new deal starts as a lead
// owned by its creator, in the parent's currency, on the parent's account and
// contact.
const insertFollowOnDeal = `
WITH p AS (
    SELECT id, account_id, contact_id, currency FROM deals WHERE workspace_id = $1 AND id = $2
), n AS (
    UPDATE workspaces SET next_deal_number = next_deal_number + 1
    WHERE id = $1 AND EXISTS (SELECT 1 FROM p)
    RETURNING next_deal_number - 1 AS number
), d AS (
    INSERT INTO deals (workspace_id, number, title, kind, parent_deal_id, account_id, contact_id, stage,
        currency, owner_id, created_by, created_at, updated_at, last_activity_at)
    SELECT $1, n.number, $3::text, $4::text, p.id, p.account_id, p.contact_id, 'lead', p.currency, $5::text, $5::text,
        $6::timestamptz, $6::timestamptz, $6::timestamptz
    FROM n, p
    RETURNING id
), h AS (
    INSERT INTO deal_history (workspace_id, deal_id, actor_id, action, field, new_value, created_at)
    SELECT $1, d.id, $5::text, 'created', 'kind', $4::text, $6::timestamptz FROM d
)
SELECT id FROM d`

// CreateFollowOnDeal opens, in one transaction (ex when it is one), an upsell or cross-sell deal (kind
// KindUpsell or KindCrossSell) on parent's account and contact: a lead owned
// by actorID, numbered next in the workspace, linked to parent, with a
// "created" history entry (field "kind"). An empty title names it after the
// account; now is its creation and last activity. ErrNotFound when the
// workspace has no such parent. Commit
// promptly: until then the transaction holds the workspace's deal-number
// counter.
func (s *Store) CreateFollowOnDeal(ctx context.Context, ex Executor, parent pipeline.Deal, kind, title, actorID string, now time.Time) (pipeline.Deal, error) {
	var out pipeline.Deal
	err := s.inTx(ctx, ex, func(tx *sqlx.Tx) (err error) {
		out, err = s.createFollowOnDeal(ctx, tx, parent, kind, title, actorID, now)
		return err
	})
	if err != nil {
		return pipeline.Deal{}, fmt.Errorf("store: %s of %s: %w", kind, parent.Ref(), err)
	}
	return out, nil
}

func (s *Store) createFollowOnDeal(ctx context.Context, ex Executor, parent pipeline.Deal, kind, title, actor string, now time.Time) (pipeline.Deal, error) {
	switch {
	case kind != KindUpsell && kind != KindCrossSell:
		return pipeline.Deal{}, fmt.Errorf("unknown kind %q", kind)
	case actor == "":
		return pipeline.Deal{}, errors.New("no creator")
	}
	if title == "" {
		label := map[string]string{KindUpsell: "upsell", KindCrossSell: "cross-sell"}[kind]
		title = fmt.Sprintf("%s (%s)", parent.AccountName, label)
	}
	if err := s.ensurePeople(ctx, ex, parent.WorkspaceID, actor); err != nil {
		return pipeline.Deal{}, err
	}
	var id int64
	if err := s.get(ctx, ex, &id, insertFollowOnDeal, parent.WorkspaceID, parent.ID, title, kind, actor, now); err != nil {
		return pipeline.Deal{}, notFound(err)
	}
	return s.dealByID(ctx, ex, parent.WorkspaceID, id)
}

// WarmLeadQueries prepares the statements of CreateLead ahead of a
// transaction that runs it (CreateLead does this itself when it opens the
// transaction).
func (s *Store) WarmLeadQueries(ctx context.Context) {
	s.warm(ctx, leadQueries...)
	s.warm(ctx, routingQueries...)
}
