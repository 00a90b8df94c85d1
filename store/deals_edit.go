package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"salesbot/pipeline"

	"github.com/jmoiron/sqlx"
)

// Each column takes the new value only when its flag is set, so one
// statement serves any set of edited fields.
const updateDealFields = `
UPDATE deals SET
    title = CASE WHEN $3::boolean THEN $4::text ELSE title END,
    amount_minor = CASE WHEN $5::boolean THEN $6::bigint ELSE amount_minor END,
    currency = CASE WHEN $7::boolean THEN $8::text ELSE currency END,
    recurring = CASE WHEN $9::boolean THEN $10::boolean ELSE recurring END,
    expected_close = CASE WHEN $11::boolean THEN $12::date ELSE expected_close END,
    source = CASE WHEN $13::boolean THEN $14::text ELSE source END,
    contact_id = CASE WHEN $15::boolean THEN $16::bigint ELSE contact_id END,
    discount_bps = CASE WHEN $17::boolean THEN $18::integer ELSE discount_bps END,
    updated_at = $19::timestamptz
WHERE workspace_id = $1 AND id = $2
RETURNING id`

// Fields UpdateDeal knows, as pipeline.FieldChange names them.
const (
	fieldTitle         = "title"
	fieldAmount        = "amount"
	fieldCurrency      = "currency"
	fieldRecurring     = "recurring"
	fieldExpectedClose = "expected_close"
	fieldSource        = "source"
	fieldContactName   = "contact_name"
	fieldContactEmail  = "contact_email"
	fieldDiscount      = "discount"
)

// UpdateDeal writes, in one transaction (ex when it is one), the fields of updated that changes names (title;
// amount, which also sets the currency; currency; recurring; expected_close;
// source; contact_name and contact_email; discount) and appends one "field" history
// entry per change at now, with old and new as given. A contact edit changes the
// deal's contact in place, gives the deal one when it had none, moves it to
// the account's contact who already has that email (or name), and detaches
// it when both name and email end up empty. An unknown field writes nothing;
// ErrNotFound when the workspace has no such deal.
func (s *Store) UpdateDeal(ctx context.Context, ex Executor, d pipeline.Deal, changes []pipeline.FieldChange, updated pipeline.Deal, actorID string, now time.Time) (pipeline.Deal, error) {
	var out pipeline.Deal
	err := s.inTx(ctx, ex, func(tx *sqlx.Tx) (err error) {
		out, err = s.updateDeal(ctx, tx, d, changes, updated, actorID, now)
		return err
	})
	if err != nil {
		return pipeline.Deal{}, fmt.Errorf("store: edit %s: %w", d.Ref(), err)
	}
	return out, nil
}

func (s *Store) updateDeal(ctx context.Context, ex Executor, d pipeline.Deal, changes []pipeline.FieldChange, updated pipeline.Deal, actor string, now time.Time) (pipeline.Deal, error) {
	set := map[string]bool{}
	for _, c := range changes {
		switch c.Field {
		case fieldTitle, fieldAmount, fieldCurrency, fieldRecurring, fieldExpectedClose, fieldSource, fieldContactName, fieldContactEmail, fieldDiscount:
			set[c.Field] = true
		default:
			return pipeline.Deal{}, fmt.Errorf("unknown field %q", c.Field)
		}
	}
	if len(changes) == 0 {
		return s.dealByID(ctx, ex, d.WorkspaceID, d.ID)
	}
	if err := s.ensurePeople(ctx, ex, d.WorkspaceID, actor); err != nil {
		return pipeline.Deal{}, err
	}
	var contactID sql.NullInt64
	editContact := set[fieldContactName] || set[fieldContactEmail]
	if editContact {
		name, email := d.ContactName, d.ContactEmail
		if set[fieldContactName] {
			name = updated.ContactName
		}
		if set[fieldContactEmail] {
			email = updated.ContactEmail
		}
		var err error
		if contactID, err = s.dealContact(ctx, ex, d, name, email, set[fieldContactName]); err != nil {
			return pipeline.Deal{}, err
		}
	}
	currency := updated.Value.Currency
	setCurrency := set[fieldCurrency] || (set[fieldAmount] && currency != "")
	var id int64
	if err := s.get(ctx, ex, &id, updateDealFields, d.WorkspaceID, d.ID,
		set[fieldTitle], updated.Title,
		set[fieldAmount], updated.Value.Minor,
		setCurrency, currency,
		set[fieldRecurring], updated.Recurring,
		set[fieldExpectedClose], dateParam(updated.ExpectedClose),
		set[fieldSource], updated.Source,
		editContact, contactID,
		set[fieldDiscount], updated.DiscountBps, now); err != nil {
		return pipeline.Deal{}, notFound(err)
	}
	entries := make([]entry, len(changes))
	for i, c := range changes {
		entries[i] = entry{actionField, c.Field, c.Old, c.New}
	}
	if err := s.appendHistory(ctx, ex, d.WorkspaceID, d.ID, actor, now, entries...); err != nil {
		return pipeline.Deal{}, err
	}
	return s.dealByID(ctx, ex, d.WorkspaceID, d.ID)
}
