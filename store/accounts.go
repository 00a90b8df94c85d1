package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
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
func (s *Store) upsertAccount(ctx context.Context, tx *sqlx.Tx, teamID, name, industry, size string) (account, error) {
	var a account
	err := s.get(ctx, tx, &a, upsertAccountSQL, teamID, name, industry, size)
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
func (s *Store) upsertContact(ctx context.Context, tx *sqlx.Tx, teamID string, accountID int64, name, email string) (contact, error) {
	var c contact
	var err error
	if email != "" {
		err = s.get(ctx, tx, &c, upsertContactByEmail, teamID, accountID, name, email)
	} else {
		err = s.get(ctx, tx, &c, upsertContactByName, teamID, accountID, name)
	}
	if err != nil {
		return contact{}, fmt.Errorf("contact: %w", err)
	}
	return c, nil
}
