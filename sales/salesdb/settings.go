package salesdb

import (
	"context"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// SaveSettings stores in.Settings and the stale thresholds of in.Stages in
// one transaction keyed by in.IdempotencyKey, when in.Actor is an admin
// (ErrForbidden otherwise, and nothing is written).
func (s *Service) SaveSettings(ctx context.Context, in SaveSettings) error {
	switch {
	case in.Team == "":
		return invalid("team", "The workspace is missing.")
	case in.Actor.ID == "":
		return invalid("actor", "Who changes the settings is missing.")
	case in.Actor.WorkspaceID != in.Team || in.Settings.WorkspaceID != in.Team:
		return invalid("actor", "Those settings are not of this workspace.")
	}
	if err := requireAdmin(in.Actor, "change settings"); err != nil {
		return err
	}
	if err := validSpeedSettings(in.Settings); err != nil {
		return err
	}
	if a := in.DiscountApproval; a != nil && a.On && (a.DiscountOverBps < 0 || a.DiscountOverBps >= pipeline.MaxDiscountBps) {
		return invalid("approval", "The discount above which approval is needed must be from 0%% to 99.99%%.")
	}
	if err := validRoomSettings(in.Rooms); err != nil {
		return err
	}
	return s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		if err := s.store.SaveSettingsAndStages(ctx, tx, in.Settings, in.Stages); err != nil {
			return err
		}
		if in.Rooms != nil {
			// Checked against the stages just saved, in the transaction.
			if err := s.roomStageExists(ctx, tx, in.Team, in.Rooms.AutoStage); err != nil {
				return err
			}
			if err := s.store.SaveRoomSettings(ctx, tx, in.Team, *in.Rooms); err != nil {
				return err
			}
		}
		if in.DiscountApproval == nil {
			return nil
		}
		rules, err := s.store.ApprovalRules(ctx, tx, in.Team)
		if err != nil {
			return err
		}
		rules.On, rules.DiscountOverBps = in.DiscountApproval.On, in.DiscountApproval.DiscountOverBps
		if in.DiscountApproval.Required != nil {
			// Checked as SaveApprovalRules checks them, against the stages
			// just saved, so the settings and the rules save together or not at all.
			stages, err := s.store.Stages(ctx, tx, in.Team)
			if err != nil {
				return err
			}
			if err := pipeline.ValidateApprovalRules(*in.DiscountApproval, stages); err != nil {
				return invalid("rules", "%s", capitalize(err.Error())+".")
			}
			rules.Required = in.DiscountApproval.Required
		}
		return s.store.SaveApprovalRules(ctx, tx, in.Team, rules, s.now())
	})
}

// requireAdmin refuses actor unless they are an admin, with
// pipeline.AuthorizeAdmin's reason.
func requireAdmin(actor pipeline.User, what string) error {
	if err := pipeline.AuthorizeAdminTo(actor, what); err != nil {
		return ErrForbidden{Why: err}
	}
	return nil
}
