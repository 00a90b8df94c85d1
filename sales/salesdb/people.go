package salesdb

import (
	"context"
	"slices"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// SetRole gives in.User in.Role, once per in.IdempotencyKey. Only an admin
// may (ErrAdminOnly), and an admin cannot drop their own admin role, so a
// workspace is never left without one (a *ValidationError).
func (s *Service) SetRole(ctx context.Context, in SetRole) error {
	if err := validPeople(in.Team, in.Actor, in.User); err != nil {
		return err
	}
	if !pipeline.ValidRole(in.Role) {
		return invalid("role", "%q is not a role: use rep, manager or admin.", clip(in.Role, 20))
	}
	if err := authorizeAdmin(in.Actor, "set roles"); err != nil {
		return err
	}
	if in.User == in.Actor.ID && in.Role != pipeline.RoleAdmin {
		return invalid("role", "You cannot take away your own admin role; ask another admin.")
	}
	err := s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		return s.store.SetRole(ctx, tx, in.Team, in.User, in.Role)
	})
	if err == nil {
		s.roles.forget(in.Team, in.User)
	}
	return err
}

// SetTeam makes in.Manager the manager of in.Reps, once per
// in.IdempotencyKey. Only an admin may (ErrAdminOnly); a manager cannot be
// on their own team (a *ValidationError).
func (s *Service) SetTeam(ctx context.Context, in SetTeam) error {
	if err := validPeople(in.Team, in.Actor, in.Manager); err != nil {
		return err
	}
	switch {
	case len(in.Reps) == 0 || slices.Contains(in.Reps, ""):
		return invalid("reps", "The reps to put on the team are missing.")
	case slices.Contains(in.Reps, in.Manager):
		return invalid("reps", "A manager cannot be on their own team.")
	}
	if err := authorizeAdmin(in.Actor, "set teams"); err != nil {
		return err
	}
	err := s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		return s.store.SetManager(ctx, tx, in.Team, in.Manager, in.Reps)
	})
	if err == nil {
		s.roles.forget(in.Team, in.Manager) // a rep given a team becomes a manager
	}
	return err
}

// SetAway marks in.User away or back, once per in.IdempotencyKey. Anyone
// may for themselves; only an admin for someone else (ErrAdminOnly).
func (s *Service) SetAway(ctx context.Context, in SetAway) error {
	if err := validPeople(in.Team, in.Actor, in.User); err != nil {
		return err
	}
	if in.User != in.Actor.ID {
		if err := authorizeAdmin(in.Actor, "mark someone else away"); err != nil {
			return err
		}
	}
	away := in.Away
	return s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		return s.store.SetAvailability(ctx, tx, in.Team, in.User, &away, nil)
	})
}

// SetCapacity sets how many open leads routing gives in.User at most, once
// per in.IdempotencyKey. Only an admin may (ErrAdminOnly).
func (s *Service) SetCapacity(ctx context.Context, in SetCapacity) error {
	if err := validPeople(in.Team, in.Actor, in.User); err != nil {
		return err
	}
	if in.Capacity < 0 || in.Capacity > MaxCapacity {
		return invalid("capacity", "The capacity is %d; use a number of open leads from 0 (no limit) to %d.", in.Capacity, MaxCapacity)
	}
	if err := authorizeAdmin(in.Actor, "set capacity"); err != nil {
		return err
	}
	n := in.Capacity
	return s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		return s.store.SetAvailability(ctx, tx, in.Team, in.User, nil, &n)
	})
}

func authorizeAdmin(actor pipeline.User, what string) error {
	if actor.Role != pipeline.RoleAdmin {
		return pipeline.AdminOnlyError{What: what}
	}
	return nil
}

func validPeople(team string, actor pipeline.User, user string) error {
	switch {
	case team == "":
		return invalid("team", "The workspace is missing.")
	case actor.ID == "":
		return invalid("actor", "Who asks is missing.")
	case actor.WorkspaceID != team:
		return invalid("actor", "The person asking is not in this workspace.")
	case user == "":
		return invalid("user", "Who it is about is missing.")
	}
	return nil
}
