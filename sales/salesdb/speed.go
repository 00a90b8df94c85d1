package salesdb

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/store"
)

// offerInbound records the offer of inbound deal d to rep, made now, with
// the deadline the workspace's response SLA gives it, and returns that
// deadline and the workspace's timezone. Leads made in Slack have no
// deadline: zero.
func (s *Service) offerInbound(ctx context.Context, tx *sqlx.Tx, d pipeline.Deal, rep string) (time.Time, string, error) {
	if d.Inbound == nil || rep == "" {
		return time.Time{}, "", nil
	}
	st, err := s.store.Settings(ctx, tx, d.WorkspaceID)
	if err != nil {
		return time.Time{}, "", err
	}
	now := s.now()
	by := pipeline.RespondBy(now, st.ResponseSLA(), pipeline.Zone(st.Timezone), st.WorkingDays, st.WorkHours())
	return by, st.Timezone, s.store.OfferInbound(ctx, tx, d, rep, now, by)
}

// inboundRepeat handles, in tx, an inbound lead that was sent before (the
// same idempotency key) or that repeats an open deal of the workspace; done
// false means neither, and the lead is to be created. A repeat of an open
// deal is logged on it as an activity, remembered under the lead's key, and
// its owner told (DuplicateLead).
func (s *Service) inboundRepeat(ctx context.Context, tx *sqlx.Tx, lead pipeline.NewLead) (res CreatedLead, done bool, err error) {
	ws, key, print := lead.WorkspaceID, lead.IdempotencyKey, fingerprint(lead)
	if key != "" {
		if err := s.store.LockLeadKey(ctx, tx, ws, key); err != nil {
			return res, false, err
		}
		d, err := s.store.DealByKey(ctx, tx, ws, key)
		if err == nil {
			return CreatedLead{Deal: d}, true, nil // created by the first request
		}
		if !errors.Is(err, store.ErrNotFound) {
			return res, false, err
		}
		d, first, err := s.store.DuplicateByKey(ctx, tx, ws, key)
		if err == nil {
			return CreatedLead{Deal: d, Duplicate: true, KeyReused: first != print}, true, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return res, false, err
		}
	}
	d, err := s.store.OpenDuplicate(ctx, tx, ws, lead.ContactEmail, lead.Company)
	if errors.Is(err, store.ErrNotFound) {
		return res, false, nil
	}
	if err != nil {
		return res, false, err
	}
	now := s.now()
	a, err := s.store.AddActivity(ctx, tx, d, lead.CreatedBy, "note", lead.Inbound.Text(), now)
	if err != nil {
		return res, false, err
	}
	if err := s.roomActivity(ctx, tx, d, a); err != nil {
		return res, false, err
	}
	if key != "" {
		if err := s.store.RecordDuplicate(ctx, tx, d, key, print, now); err != nil {
			return res, false, err
		}
	}
	contact := strings.TrimSpace(strings.Join([]string{lead.ContactName, lead.ContactEmail}, " "))
	err = s.outbox.Enqueue(ctx, tx.Tx, sales.DuplicateLead{Deal: d, Inbound: *lead.Inbound, Company: lead.Company, Contact: contact})
	return CreatedLead{Deal: d, Duplicate: true}, true, err
}

// fingerprint tells one inbound lead from another, for a replayed key.
func fingerprint(l pipeline.NewLead) string {
	in := pipeline.Inbound{}
	if l.Inbound != nil {
		in = *l.Inbound
	}
	return strings.Join([]string{store.NormalCompany(l.Company), strings.ToLower(strings.TrimSpace(l.ContactEmail)),
		l.ContactName, l.Title, in.Message, in.UTMSource, in.UTMMedium, in.UTMCampaign, in.PageURL}, "\x1f")
}

// slaBatch bounds how many missed deadlines one run handles; the next run
// takes the rest.
const slaBatch = 200

// EnforceResponseSLA is EnforceResponseSLATx in a transaction of its own.
func (s *Service) EnforceResponseSLA(ctx context.Context, teamID string, now time.Time) error {
	return s.store.WithTx(ctx, func(tx *sqlx.Tx) error {
		return s.EnforceResponseSLATx(ctx, tx, teamID, now)
	})
}

// EnforceResponseSLATx acts, in tx, on the workspace's inbound offers whose
// response deadline has passed by now: an offer its rep answered (accepted,
// logged an activity, set a follow-up) by now is recorded as answered; one
// they did not is recorded as missed, the lead goes on to the next eligible
// rep with a fresh deadline, and the rep's manager (or, without one, the
// lead's creator: for a lead from the API, the admin who made the key) is
// told (LeadRerouted with MissedBy). An offer whose lead has moved on
// meanwhile just ends. The scheduler runs it in the transaction that claims
// the occurrence; each offer changes in a savepoint of its own, and an
// offer that has ended is not touched again, so a redelivered run changes
// nothing.
func (s *Service) EnforceResponseSLATx(ctx context.Context, tx *sqlx.Tx, teamID string, now time.Time) error {
	if err := s.store.SettleOffers(ctx, tx, teamID, now); err != nil {
		return fmt.Errorf("response SLA: %w", err)
	}
	due, err := s.store.DueOffers(ctx, tx, teamID, now, slaBatch)
	if err != nil {
		return fmt.Errorf("response SLA: %w", err)
	}
	for _, o := range due {
		err := s.store.Savepoint(ctx, tx, func() error { return s.missOffer(ctx, tx, teamID, o, now) })
		switch {
		case err == nil:
		case ctx.Err() != nil:
			return fmt.Errorf("response SLA of %s: %w", pipeline.FormatRef(o.Number), err)
		default:
			s.log.ErrorContext(ctx, "response SLA: an offer waits for the next run",
				"team", teamID, "deal", pipeline.FormatRef(o.Number), "error", err)
		}
	}
	return nil
}

// missOffer handles one unanswered offer past its deadline.
func (s *Service) missOffer(ctx context.Context, tx *sqlx.Tx, teamID string, o store.DueOffer, now time.Time) error {
	d, err := s.store.DealForUpdate(ctx, tx, teamID, o.Number)
	if err != nil {
		return err
	}
	// The rep may have answered since the run settled the offers: an
	// acceptance or an activity waits for the deal's lock, taken now.
	if answered, err := s.store.SettleOffer(ctx, tx, teamID, o.ID, now); err != nil || answered {
		return err
	}
	if d.OwnerID != o.RepID || d.Stage.Closed() {
		_, err := s.store.CloseOffer(ctx, tx, teamID, o.ID, now)
		return err // no longer the rep's to answer
	}
	from, err := s.store.ExpireHandoff(ctx, tx, d, now, now)
	if errors.Is(err, store.ErrNotPending) {
		_, err := s.store.CloseOffer(ctx, tx, teamID, o.ID, now)
		return err // not waiting on the rep (taken by hand meanwhile)
	}
	if err != nil {
		return err
	}
	if ok, err := s.store.MissOffer(ctx, tx, teamID, o.ID, now); err != nil || !ok {
		return err
	}
	st, err := s.store.Settings(ctx, tx, teamID)
	if err != nil {
		return err
	}
	_, err = s.reroute(ctx, tx, d, from, true, o.RespondBy, st.Timezone)
	return err
}

// speedOf is speed to lead over the inbound leads offered in p, for the
// reps among owners (everyone when owners is nil).
func (s *Service) speedOf(ctx context.Context, team string, owners []string, p pipeline.Period) ([]pipeline.RepSpeed, error) {
	all, err := s.store.SpeedToLead(ctx, s.store.DB(), team, p.From, p.To)
	if err != nil || owners == nil {
		return all, err
	}
	var out []pipeline.RepSpeed
	for _, r := range all {
		if slices.Contains(owners, r.RepID) {
			out = append(out, r)
		}
	}
	return out, nil
}

// validSpeedSettings refuses a response SLA or working hours out of range;
// zero ones are left as stored.
func validSpeedSettings(st pipeline.Settings) error {
	if st.ResponseSLAMins == 0 && st.WorkStartMin == 0 && st.WorkEndMin == 0 {
		return nil
	}
	if st.ResponseSLAMins == 0 {
		st.ResponseSLAMins = pipeline.DefaultResponseSLAMins
	}
	if st.WorkEndMin == 0 {
		st.WorkStartMin, st.WorkEndMin = pipeline.DefaultWorkStartMin, pipeline.DefaultWorkEndMin
	}
	if err := pipeline.ValidateSpeedSettings(st); err != nil {
		return invalid("response_sla", "%s.", strings.ToUpper(err.Error()[:1])+err.Error()[1:])
	}
	return nil
}
