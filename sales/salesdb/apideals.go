package salesdb

import (
	"context"
	"errors"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/store"
)

// MaxDealsPage is the most deals one page of APIDeals holds.
const MaxDealsPage = 200

// APIDeal is the workspace's deal number n, for an API key of team: the
// key is the authorization, so any deal of its workspace and none of
// another's (ErrNotFound either way).
func (s *Service) APIDeal(ctx context.Context, team string, n int64) (pipeline.Deal, error) {
	if team == "" {
		return pipeline.Deal{}, invalid("team", "The workspace is missing.")
	}
	d, err := s.store.DealByNumber(ctx, s.store.DB(), team, n)
	if errors.Is(err, store.ErrNotFound) {
		return d, ErrNotFound{Number: n}
	}
	return d, err
}

// APIDeals is a page of the workspace's deals as f asks, for an API key of
// team. A stage or owner it cannot read is a ValidationError naming it.
func (s *Service) APIDeals(ctx context.Context, team string, f sales.DealFilter) (sales.DealPage, error) {
	if team == "" {
		return sales.DealPage{}, invalid("team", "The workspace is missing.")
	}
	if f.Limit < 1 || f.Limit > MaxDealsPage {
		return sales.DealPage{}, invalid("limit", "A page holds 1 to %d deals.", MaxDealsPage)
	}
	if f.Owner != "" && !pipeline.ValidUserID(f.Owner) {
		return sales.DealPage{}, invalid("owner", "%q is not a Slack user ID (U… or W…).", clip(f.Owner, 40))
	}
	var stage pipeline.Stage
	if f.Stage != "" {
		stages, err := s.store.Stages(ctx, s.store.DB(), team)
		if err != nil {
			return sales.DealPage{}, err
		}
		if stage, err = pipeline.ParseStage(f.Stage, stages); err != nil {
			return sales.DealPage{}, invalid("stage", "%s", err.Error())
		}
	}
	var afterAt *time.Time
	var afterID int64
	if f.After != nil {
		afterAt, afterID = &f.After.UpdatedAt, f.After.ID
	}
	// One more than asked tells whether another page follows.
	ds, err := s.store.DealsPage(ctx, s.store.DB(), team, stage, f.Owner, f.UpdatedSince, afterAt, afterID, f.Limit+1)
	if err != nil {
		return sales.DealPage{}, err
	}
	page := sales.DealPage{Deals: ds}
	if len(ds) > f.Limit {
		page.Deals = ds[:f.Limit]
		last := page.Deals[f.Limit-1]
		page.Next = &sales.DealCursor{UpdatedAt: last.UpdatedAt, ID: last.ID}
	}
	return page, nil
}
