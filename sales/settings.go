package sales

import (
	"context"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// SaveSettings is a request to replace a workspace's settings.
type SaveSettings struct {
	Team     string
	Actor    pipeline.User     // as salesbot knows them, role included
	Settings pipeline.Settings // the whole of them, validated by the form
	// Stages are the stages whose stale thresholds change; only stages the
	// workspace has.
	Stages []pipeline.StageDef
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

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
	if err := requireAdmin(in.Actor); err != nil {
		return err
	}
	return s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		return s.store.SaveSettingsAndStages(ctx, tx, in.Settings, in.Stages)
	})
}

// requireAdmin refuses actor unless they are an admin, with
// pipeline.AuthorizeAdmin's reason.
func requireAdmin(actor pipeline.User) error {
	if err := pipeline.AuthorizeAdmin(actor); err != nil {
		return ErrForbidden{why: err}
	}
	return nil
}
