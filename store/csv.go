package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/lib/pq"

	"salesbot/pipeline"
)

// A deal on the account of this name (accounts_workspace_name_key) whose
// contact has this email, whatever the case; ” matches a deal without one.
const selectDealByCompanyEmail = `
SELECT d.number
FROM accounts a
JOIN deals d ON d.workspace_id = a.workspace_id AND d.account_id = a.id
LEFT JOIN contacts c ON c.id = d.contact_id
WHERE a.workspace_id = $1 AND lower(a.name) = lower($2) AND lower(COALESCE(c.email, '')) = lower($3)
ORDER BY d.number
LIMIT 1`

// Every deal of the workspace (of these owners, when $2 is not NULL) with
// its account's industry and size, by number.
const selectExportDeals = `
SELECT x.*, a.industry, a.company_size FROM (` + selectDeals + `
    WHERE d.workspace_id = $1 AND ($2::text[] IS NULL OR d.owner_id = ANY($2::text[]))
) x
JOIN accounts a ON a.id = x.account_id
ORDER BY x.number`

// DuplicateDeal returns the number of a deal of the workspace with the same
// company and contact email (case-insensitive), if there is one.
func (s *Store) DuplicateDeal(ctx context.Context, ex Executor, teamID, company, email string) (int64, bool, error) {
	var n int64
	err := s.get(ctx, ex, &n, selectDealByCompanyEmail, teamID, company, email)
	if errors.Is(notFound(err), ErrNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("store: look for a deal of %q: %w", company, err)
	}
	return n, true, nil
}

// ExportDeal is a deal with its account's fields, as exported.
type ExportDeal struct {
	pipeline.Deal
	Industry    string
	CompanySize string
}

type exportRow struct {
	dealRow
	Industry    string `db:"industry"`
	CompanySize string `db:"company_size"`
}

// EachDeal calls fn with every deal of the workspace (only these owners' when
// owners is not nil), by number, reading them one at a time so that a large
// workspace is never held in memory. An error from fn stops the walk.
func (s *Store) EachDeal(ctx context.Context, ex Executor, teamID string, owners []string, fn func(ExportDeal) error) error {
	var arg any
	if owners != nil {
		arg = pq.StringArray(owners)
	}
	rows, err := ex.QueryxContext(ctx, selectExportDeals, teamID, arg)
	if err != nil {
		return fmt.Errorf("store: export deals of %s: %w", teamID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r exportRow
		if err := rows.StructScan(&r); err != nil {
			return fmt.Errorf("store: export deals of %s: %w", teamID, err)
		}
		if err := fn(ExportDeal{Deal: r.deal(), Industry: r.Industry, CompanySize: r.CompanySize}); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: export deals of %s: %w", teamID, err)
	}
	return nil
}
