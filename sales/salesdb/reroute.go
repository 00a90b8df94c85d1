package salesdb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/store"
)

// expiredBatch bounds how many timed-out handoffs one run re-routes; the
// next run takes the rest.
const expiredBatch = 200

// RerouteExpiredHandoffs is RerouteExpiredHandoffsTx in a transaction of
// its own.
func (s *Service) RerouteExpiredHandoffs(ctx context.Context, teamID string, now time.Time) error {
	return s.store.WithTx(ctx, func(tx *sqlx.Tx) error {
		return s.RerouteExpiredHandoffsTx(ctx, tx, teamID, now)
	})
}

// RerouteExpiredHandoffsTx re-routes, in tx, the workspace's leads whose
// handoff has been pending longer than its handoff timeout, counted in
// working minutes (the workspace's working hours on its working days, in its
// timezone): the rep who let it lapse counts as having declined, the lead
// goes to the next eligible rep and that rep's manager (or the lead's
// creator) is told (see Reroute). The scheduler runs it in the transaction
// that claims the occurrence, so the re-routing and the claim commit
// together. Each lead changes in a savepoint of its own, so one failure does
// not hold back the others: the failed lead is logged, left pending, and
// tried again by the next run. Running it twice, or on several replicas at
// once, re-routes each lapse once.
func (s *Service) RerouteExpiredHandoffsTx(ctx context.Context, tx *sqlx.Tx, teamID string, now time.Time) error {
	st, err := s.store.Settings(ctx, s.store.DB(), teamID)
	if err != nil {
		return fmt.Errorf("reroute handoffs: %w", err)
	}
	// Working time never runs faster than the clock: offers younger than the
	// timeout in plain minutes cannot have lapsed.
	cutoff := now.Add(-time.Duration(st.HandoffTimeoutMins) * time.Minute)
	pending, err := s.store.ExpiredHandoffs(ctx, s.store.DB(), teamID, cutoff, expiredBatch)
	if err != nil {
		return fmt.Errorf("reroute handoffs: %w", err)
	}
	loc := pipeline.Zone(st.Timezone)
	for _, p := range pending {
		if pipeline.WorkingMinutesIn(p.OfferedAt, now, loc, st.WorkingDays, st.WorkHours()) < st.HandoffTimeoutMins {
			break // oldest first: the younger ones have not lapsed either
		}
		n := p.Number
		err := s.store.Savepoint(ctx, tx, func() error {
			d, err := s.store.DealForUpdate(ctx, tx, teamID, n)
			if err != nil {
				return err
			}
			from, err := s.store.ExpireHandoff(ctx, tx, d, p.OfferedAt, now)
			if err != nil {
				return err
			}
			_, err = s.Reroute(ctx, tx, d, from, true)
			return err
		})
		switch {
		case err == nil, errors.Is(err, store.ErrNotPending):
		case ctx.Err() != nil:
			return fmt.Errorf("reroute %s: %w", pipeline.FormatRef(n), err)
		default:
			s.log.ErrorContext(ctx, "reroute handoffs: a lead stays pending until the next run",
				"team", teamID, "deal", pipeline.FormatRef(n), "error", err)
		}
	}
	return nil
}
