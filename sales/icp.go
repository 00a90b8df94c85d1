package sales

import (
	"context"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// SetICP is a request to replace a workspace's ideal customer profile.
type SetICP struct {
	Team  string
	Actor pipeline.User // as salesbot knows them, role included
	ICP   pipeline.ICP  // parsed by pipeline.ParseICP
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

// SetICP stores in.ICP and rescores every open deal of the workspace
// against it, in one transaction keyed by in.IdempotencyKey, when in.Actor
// is an admin (ErrForbidden otherwise, and nothing is written).
func (s *Service) SetICP(ctx context.Context, in SetICP) error {
	switch {
	case in.Team == "":
		return invalid("team", "The workspace is missing.")
	case in.Actor.ID == "":
		return invalid("actor", "Who changes the profile is missing.")
	case in.Actor.WorkspaceID != in.Team:
		return invalid("actor", "That person is not in this workspace.")
	}
	if err := requireAdmin(in.Actor); err != nil {
		return err
	}
	return s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		if err := s.store.SaveICP(ctx, tx, in.Team, in.ICP); err != nil {
			return err
		}
		_, err := s.Rescore(ctx, tx, in.Team, 0)
		return err
	})
}
