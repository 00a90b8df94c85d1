package salesdb

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/jmoiron/sqlx"

	"salesbot/leadcsv"
	"salesbot/store"
)

// ExportCSV writes the workspace's deals as CSV to w, by number, and
// returns how many it wrote. The columns are the import's plus number,
// currency, stage, created and closed, so that the file imports back. The
// CLI streams any size this way.
func (s *Service) ExportCSV(ctx context.Context, in ExportRequest, w io.Writer) (int, error) {
	cw := leadcsv.NewWriter(w)
	n := 0
	err := s.store.EachDeal(ctx, s.store.DB(), in.Team, in.Owners, func(d store.ExportDeal) error {
		if n++; in.Limit > 0 && n > in.Limit {
			return ErrTooManyToExport{Limit: in.Limit}
		}
		return cw.Write(leadcsv.ExportDeal{Deal: d.Deal, Industry: d.Industry, CompanySize: d.CompanySize})
	})
	if err != nil {
		return n, err
	}
	if err := cw.Flush(); err != nil {
		return n, fmt.Errorf("write CSV: %w", err)
	}
	return n, nil
}

// ExportDeals writes the deals of the scope in.Actor may see as CSV
// (ErrForbidden beyond it, ErrTooManyToExport past in.Limit) and hands the
// file to deliver inside the request's claim.
func (s *Service) ExportDeals(ctx context.Context, in ExportDeals, deliver func(ctx context.Context, e ExportedDeals) error) (ExportedDeals, error) {
	scope, err := s.Scope(ctx, in.Actor, in.Scope)
	if err != nil {
		return ExportedDeals{}, err
	}
	var res ExportedDeals
	err = s.once(ctx, in.Team, in.IdempotencyKey, func(*sqlx.Tx) error {
		var buf bytes.Buffer
		n, err := s.ExportCSV(ctx, ExportRequest{Team: in.Team, Owners: scope.Owners, Limit: in.Limit}, &buf)
		if err != nil {
			return err
		}
		res = ExportedDeals{Scope: scope, Count: n, CSV: &buf}
		return deliver(ctx, res)
	})
	return res, err
}
