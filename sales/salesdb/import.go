package salesdb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"salesbot/leadcsv"
	"salesbot/pipeline"
)

// ImportLeads imports the leads of a CSV file (header line first) into the
// workspace on behalf of importer, and reports every line: created,
// skipped as a duplicate (of an earlier line, or of a deal of the workspace
// with the same company and contact email) or rejected with the reason.
//
// Each row is stored in its own transaction, with its routing and its
// owner's offer: a rejected row writes nothing, and a failure part way
// (the database going away) leaves the rows before it imported, reported.
// Running the same file again creates nothing new: every row is keyed by its
// company and contact email. Rows without an owner are routed; when no rep
// can take them they stay with the importer.
func (s *Service) ImportLeads(ctx context.Context, team, importer string, r io.Reader) (res ImportResult, err error) {
	if !pipeline.ValidUserID(importer) {
		return res, invalid("importer", "%q is not a Slack user ID (such as U0123ABCD).", clip(importer, 30))
	}
	st, err := s.store.EnsureWorkspace(ctx, s.store.DB(), team, s.defaults)
	if err != nil {
		return res, err
	}
	rows, bad, err := leadcsv.Read(r)
	if err != nil {
		return res, invalid("csv", "%s", capitalize(err.Error())+".")
	}
	ok, dups, rejected := leadcsv.Plan(rows, st.Currency)
	rep := &res.Report
	rep.Duplicates, rep.Rejected = dups, append(bad, rejected...)
	res.Owners = []string{importer}
	defer func() {
		sortByLine(rep.Duplicates)
		sortByLine(rep.Rejected)
	}()
	for _, v := range ok {
		lead := v.Lead
		lead.WorkspaceID, lead.CreatedBy = team, importer
		lead.IdempotencyKey = leadcsv.IdempotencyKey(lead.Company, lead.ContactEmail)
		d, dupOf, err := s.importLead(ctx, lead)
		if err != nil {
			return res, fmt.Errorf("import line %d: %w", v.Line, err)
		}
		if dupOf != 0 {
			rep.Duplicates = append(rep.Duplicates, leadcsv.Rejected{Line: v.Line, Company: lead.Company,
				Reason: fmt.Sprintf("%s has the same company and contact email", pipeline.FormatRef(dupOf))})
			continue
		}
		rep.Created = append(rep.Created, leadcsv.Outcome{Line: v.Line, Number: d.Number, Company: d.AccountName})
		res.Owners = append(res.Owners, d.OwnerID)
	}
	return res, nil
}

// importLead stores one row in its own transaction, unless the workspace has
// its deal already (dupOf is then that deal's number).
func (s *Service) importLead(ctx context.Context, lead pipeline.NewLead) (d pipeline.Deal, dupOf int64, err error) {
	err = s.store.WithTx(ctx, func(tx *sqlx.Tx) error {
		n, found, err := s.store.DuplicateDeal(ctx, tx, lead.WorkspaceID, lead.Company, lead.ContactEmail)
		if err != nil || found {
			dupOf = n
			return err
		}
		res, err := s.createLeadTx(ctx, tx, lead, nil) // scored after, in a transaction of its own
		d = res.Deal
		if err != nil {
			return err
		}
		if !res.Created {
			dupOf = d.Number
			return errRollback // the routing choice must not count
		}
		return nil
	})
	if errors.Is(err, errRollback) {
		err = nil
	}
	if err == nil && dupOf == 0 && d.ID != 0 {
		d = s.scoreNew(ctx, d)
	}
	return d, dupOf, err
}

func sortByLine(rs []leadcsv.Rejected) {
	slices.SortStableFunc(rs, func(a, b leadcsv.Rejected) int { return a.Line - b.Line })
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
