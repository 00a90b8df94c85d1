package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"salesbot/pipeline"
)

// Reuses the workspace's account of the same name whatever its case, filling
// its industry and size when they were unknown. DO UPDATE rather than DO
// NOTHING so that RETURNING yields the id even when a concurrent transaction
// just created the account. Selecting from workspaces makes an unknown
// workspace return no row instead of a foreign-key error.
const upsertAccountSQL = `
INSERT INTO accounts (workspace_id, name, industry, company_size)
SELECT w.id, $2::text, $3::text, $4::text FROM workspaces w WHERE w.id = $1
ON CONFLICT (workspace_id, lower(name)) DO UPDATE SET
    industry = CASE WHEN accounts.industry = '' THEN EXCLUDED.industry ELSE accounts.industry END,
    company_size = CASE WHEN accounts.company_size = '' THEN EXCLUDED.company_size ELSE accounts.company_size END,
    updated_at = CASE WHEN (accounts.industry = '' AND EXCLUDED.industry <> '')
                        OR (accounts.company_size = '' AND EXCLUDED.company_size <> '')
                      THEN now() ELSE accounts.updated_at END
RETURNING id, name, industry, company_size`

// A contact with an email is reused by email within its account.
const upsertContactByEmail = `
INSERT INTO contacts (workspace_id, account_id, name, email)
VALUES ($1, $2, $3, $4)
ON CONFLICT (account_id, lower(email)) WHERE email <> '' DO UPDATE SET
    name = CASE WHEN contacts.name = '' THEN EXCLUDED.name ELSE contacts.name END
RETURNING id, name, email`

// A contact without an email is reused by name within its account.
const upsertContactByName = `
INSERT INTO contacts (workspace_id, account_id, name)
VALUES ($1, $2, $3)
ON CONFLICT (account_id, lower(name)) WHERE email = '' DO UPDATE SET
    name = contacts.name
RETURNING id, name, email`

type account struct {
	ID       int64  `db:"id"`
	Name     string `db:"name"`
	Industry string `db:"industry"`     // as stored: the first one given wins
	Size     string `db:"company_size"` // likewise
}

type contact struct {
	ID    int64  `db:"id"`
	Name  string `db:"name"`
	Email string `db:"email"`
}

// upsertAccount returns the workspace's account called name, creating it when
// missing; ErrNotFound when the workspace itself is unknown.
func (s *Store) upsertAccount(ctx context.Context, ex Executor, teamID, name, industry, size string) (account, error) {
	var a account
	err := s.get(ctx, ex, &a, upsertAccountSQL, teamID, name, industry, size)
	if errors.Is(err, sql.ErrNoRows) {
		return account{}, fmt.Errorf("workspace %s: %w", teamID, ErrNotFound)
	}
	if err != nil {
		return account{}, fmt.Errorf("account %q: %w", name, err)
	}
	return a, nil
}

// upsertContact returns the account's contact with this email (or, without
// an email, this name), creating it when missing.
func (s *Store) upsertContact(ctx context.Context, ex Executor, teamID string, accountID int64, name, email string) (contact, error) {
	var c contact
	var err error
	if email != "" {
		err = s.get(ctx, ex, &c, upsertContactByEmail, teamID, accountID, name, email)
	} else {
		err = s.get(ctx, ex, &c, upsertContactByName, teamID, accountID, name)
	}
	if err != nil {
		return contact{}, fmt.Errorf("contact: %w", err)
	}
	return c, nil
}

// Another contact of the account who already is the person the edit names:
// by email, or by name among those without one (the contacts' unique keys).
const selectSameContact = `
SELECT id, name, email FROM contacts
WHERE account_id = $1 AND workspace_id = $2 AND id <> $3
  AND CASE WHEN $5::text <> '' THEN email <> '' AND lower(email) = lower($5::text)
           ELSE email = '' AND lower(name) = lower($4::text) END`

const updateContact = `
UPDATE contacts SET name = $3, email = $4, updated_at = now()
WHERE workspace_id = $1 AND id = $2`

const updateContactName = `
UPDATE contacts SET name = $3, updated_at = now()
WHERE workspace_id = $1 AND id = $2 AND name <> $3`

// dealContact returns the contact the deal should have once its contact is
// name and email, changing or creating contacts of the deal's account as
// needed; NULL when both are empty. renamed says whether the name was edited
// (else it is the deal's current contact's, not news about another contact).
func (s *Store) dealContact(ctx context.Context, ex Executor, d pipeline.Deal, name, email string, renamed bool) (sql.NullInt64, error) {
	if name == "" && email == "" {
		return sql.NullInt64{}, nil
	}
	if d.ContactID == 0 {
		c, err := s.upsertContact(ctx, ex, d.WorkspaceID, d.AccountID, name, email)
		return sql.NullInt64{Int64: c.ID, Valid: err == nil}, err
	}
	var same contact
	err := s.get(ctx, ex, &same, selectSameContact, d.AccountID, d.WorkspaceID, d.ContactID, name, email)
	switch {
	case err == nil:
		// The account already knows this person: point the deal at them
		// rather than make a duplicate the unique keys would refuse.
		if renamed && name != "" {
			if err := s.exec(ctx, ex, updateContactName, d.WorkspaceID, same.ID, name); err != nil {
				return sql.NullInt64{}, fmt.Errorf("contact: %w", err)
			}
		}
		return sql.NullInt64{Int64: same.ID, Valid: true}, nil
	case !errors.Is(err, sql.ErrNoRows):
		return sql.NullInt64{}, fmt.Errorf("contact: %w", err)
	}
	if err := s.exec(ctx, ex, updateContact, d.WorkspaceID, d.ContactID, name, email); err != nil {
		return sql.NullInt64{}, fmt.Errorf("contact: %w", err)
	}
	return sql.NullInt64{Int64: d.ContactID, Valid: true}, nil
}
