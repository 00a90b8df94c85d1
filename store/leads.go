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
        score, qualification)
    SELECT $1, n.number, $2::text, $3::bigint, $4::bigint, 'lead', $5::bigint,
        COALESCE(NULLIF($6::text, ''), (SELECT currency FROM workspace_settings WHERE workspace_id = $1)),
        $7::date, $8::text, $9::text, $10::text,
        CASE WHEN $9::text = $10::text THEN 'none' ELSE 'pending' END,
        CASE WHEN $9::text = $10::text THEN NULL ELSE now() END,
        NULLIF($11::text, ''),
        $13::smallint,
        CASE WHEN $14::jsonb IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('reasons', $14::jsonb) END
    FROM n
    RETURNING id, number, currency, created_at, updated_at, last_activity_at
), h AS (
    INSERT INTO deal_history (workspace_id, deal_id, actor_id, action, new_value)
    SELECT $1, d.id, $10::text, 'created', $2::text FROM d
), a AS (
    INSERT INTO activities (workspace_id, deal_id, author_id, kind, body)
    SELECT $1, d.id, $10::text, 'note', $12::text FROM d WHERE $12::text <> ''
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

// CreateLead stores a new lead in one transaction: its account (reused when
// the workspace has one of the same name, whatever the case), its contact
// (when a name or email is given), the deal at stage lead with the next
// D-number, owned by lead.OwnerID or else its creator, the first history
// entry and the notes as a first activity. A lead owned by someone other than
// its creator waits for them to accept it (handoff pending).
//
// When lead.IdempotencyKey was already used in the workspace, even by a
// concurrent call, it creates nothing and returns that deal with created false.
func (s *Store) CreateLead(ctx context.Context, lead pipeline.NewLead) (deal pipeline.Deal, created bool, err error) {
	s.warm(ctx, leadQueries...)
	err = s.WithTx(ctx, func(tx *sqlx.Tx) error {
		deal, created, err = s.CreateLeadTx(ctx, tx, lead)
		return err
	})
	return deal, created, err
}

// CreateLeadTx is CreateLead inside the caller's transaction, so that the
// messages the new lead causes (such as the owner's handoff) commit with it.
// When created is false it has written nothing. Commit promptly: until then
// the transaction holds the workspace's deal-number counter.
func (s *Store) CreateLeadTx(ctx context.Context, tx *sqlx.Tx, lead pipeline.NewLead) (pipeline.Deal, bool, error) {
	return s.CreateScoredLeadTx(ctx, tx, lead, nil)
}

// LeadScorer scores a new lead from what it is stored with.
type LeadScorer func(pipeline.ScoreInput) (score int, reasons []string)

// CreateScoredLeadTx is CreateLeadTx storing the lead with the score that
// score gives it (none when nil), computed from the lead as stored: its
// account's industry and size (an existing account keeps its own), its
// source and value, and its notes as its one activity. The score is written
// by the statement that inserts the deal: no statement more, and no longer
// hold on the deal-number counter.
func (s *Store) CreateScoredLeadTx(ctx context.Context, tx *sqlx.Tx, lead pipeline.NewLead, score LeadScorer) (pipeline.Deal, bool, error) {
	d, created, err := s.createLead(ctx, tx, lead, score)
	if err != nil {
		return pipeline.Deal{}, false, fmt.Errorf("store: create lead: %w", err)
	}
	return d, created, nil
}

func (s *Store) createLead(ctx context.Context, tx *sqlx.Tx, lead pipeline.NewLead, score LeadScorer) (pipeline.Deal, bool, error) {
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
		if err := s.exec(ctx, tx, lockIdempotencyKey, ws, key); err != nil {
			return pipeline.Deal{}, false, fmt.Errorf("lock idempotency key: %w", err)
		}
		d, err := s.dealByKey(ctx, tx, ws, key)
		if err == nil {
			return d, false, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return pipeline.Deal{}, false, err
		}
	}
	if err := s.ensureUserIDs(ctx, tx, ws, lead.CreatedBy, owner); err != nil {
		return pipeline.Deal{}, false, err
	}
	acct, err := s.upsertAccount(ctx, tx, ws, lead.Company, lead.Industry, lead.CompanySize)
	if err != nil {
		return pipeline.Deal{}, false, err
	}
	var ct contact
	var contactID *int64
	if lead.ContactName != "" || lead.ContactEmail != "" {
		if ct, err = s.upsertContact(ctx, tx, ws, acct.ID, lead.ContactName, lead.ContactEmail); err != nil {
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
	if err := s.get(ctx, tx, &ins, insertLeadDeal, ws, lead.Title, acct.ID, contactID,
		lead.Value.Minor, lead.Value.Currency, dateParam(lead.ExpectedClose), lead.Source, owner,
		lead.CreatedBy, lead.IdempotencyKey, lead.Notes, points, reasonsJSON); err != nil {
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
	}, true, nil
}
