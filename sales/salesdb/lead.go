package salesdb

import (
	"context"
	"errors"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/store"
)

// errRollback undoes a transaction that found its work done already.
var errRollback = errors.New("rollback")

// CreateLead stores a lead, scored: with its chosen owner, or routed when
// the owner is empty, and offered to whoever owns it when that is not its
// creator, all in one transaction keyed by lead.IdempotencyKey. The
// workspace is created on first sight.
func (s *Service) CreateLead(ctx context.Context, lead pipeline.NewLead) (CreatedLead, error) {
	if err := validLead(lead); err != nil {
		return CreatedLead{}, err
	}
	ws, err := s.Workspace(ctx, lead.WorkspaceID)
	if err != nil {
		return CreatedLead{}, err
	}
	var res CreatedLead
	s.store.WarmLeadQueries(ctx)
	err = s.store.WithTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		res, err = s.createLeadTx(ctx, tx, lead, scorerOf(ws))
		if err == nil && !res.Created && !res.Duplicate {
			return errRollback // the routing choice must not count
		}
		return err
	})
	if errors.Is(err, errRollback) {
		err = nil
	}
	return res, err
}

func validLead(lead pipeline.NewLead) error {
	switch {
	case lead.WorkspaceID == "":
		return invalid("workspace", "The workspace is missing.")
	case lead.CreatedBy == "":
		return invalid("created_by", "Who creates the lead is missing.")
	case lead.Company == "":
		return invalid(string(pipeline.FieldCompany), "The company is missing.")
	case lead.OwnerID != "" && !pipeline.ValidUserID(lead.OwnerID):
		return invalid(string(pipeline.FieldOwner), "%q is not a Slack user ID (such as U0123ABCD).", clip(lead.OwnerID, 30))
	}
	return nil
}

// createLeadTx creates lead in tx, scored by score unless it is nil (the
// caller then scores it). When lead.OwnerID is empty it is routed and
// offered to the chosen rep; with no rep available it stays with its
// creator. An owner given in lead who is not its creator is offered it like
// a handover. Created false means the key was used already: roll tx back, so
// the routing choice does not count.
func (s *Service) createLeadTx(ctx context.Context, tx *sqlx.Tx, lead pipeline.NewLead, score store.LeadScorer) (CreatedLead, error) {
	if lead.Inbound != nil {
		if res, done, err := s.inboundRepeat(ctx, tx, lead); err != nil || done {
			return res, err
		}
	}
	var choice pipeline.Choice
	chosen := lead.OwnerID
	if chosen == "" {
		var err error
		in := pipeline.RouteInput{Industry: lead.Industry, Size: lead.CompanySize, Territory: lead.Territory}
		if lead.Inbound != nil {
			// Its creator is whoever made the API key: never the rep it is offered to.
			in.Exclude = []string{lead.CreatedBy}
		}
		choice, err = s.Route(ctx, tx, lead.WorkspaceID, in)
		if err != nil && !errors.Is(err, ErrNoRep) {
			return CreatedLead{}, err
		}
		lead.OwnerID = choice.RepID
	}
	d, created, err := s.store.CreateScoredLead(ctx, tx, lead, score, s.now())
	if err != nil || !created {
		return CreatedLead{Deal: d}, err
	}
	res := CreatedLead{Deal: d, Created: true, RoutedTo: choice.RepID, Reason: choice.Reason}
	if err := s.publish(ctx, tx, pipeline.EventLeadCreated, d, ""); err != nil {
		return res, err
	}
	if choice.RepID != "" {
		if err := s.store.MarkDealRouted(ctx, tx, d, choice.Reason, s.now()); err != nil {
			return res, err
		}
	}
	switch {
	case choice.RepID != "" && choice.RepID != lead.CreatedBy:
		routed := LeadRouted{Deal: d, Reason: choice.Reason}
		if routed.RespondBy, routed.Timezone, err = s.offerInbound(ctx, tx, d, choice.RepID); err != nil {
			return res, err
		}
		err = s.outbox.Enqueue(ctx, tx.Tx, routed)
	case chosen != "" && chosen != lead.CreatedBy:
		err = s.outbox.Enqueue(ctx, tx.Tx, LeadHandedOver{Deal: d, From: lead.CreatedBy})
	}
	return res, err
}
