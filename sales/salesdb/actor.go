package salesdb

import (
	"context"

	"salesbot/pipeline"
)

// Actor is the person behind a request as salesbot knows them, role
// included, with their workspace's settings: the workspace is created with
// the defaults and the person recorded on first sight, and the configured
// first admins (Deps.Admins) start as admins.
func (s *Service) Actor(ctx context.Context, team, user string) (pipeline.User, pipeline.Settings, error) {
	st, err := s.Settings(ctx, team)
	if err != nil {
		return pipeline.User{}, st, err
	}
	role := pipeline.RoleRep
	if s.admins[user] {
		role = pipeline.RoleAdmin
	}
	u, err := s.store.EnsureUser(ctx, s.store.DB(), pipeline.User{WorkspaceID: team, ID: user, Role: role})
	return u, st, err
}

// Settings are the workspace's settings, created with the defaults on first
// sight.
func (s *Service) Settings(ctx context.Context, team string) (pipeline.Settings, error) {
	return s.store.EnsureWorkspace(ctx, s.store.DB(), team, s.defaults)
}

// Defaults are the settings a workspace starts with.
func (s *Service) Defaults() pipeline.Settings { return s.defaults }

// RememberTimezone records the person's timezone as Slack gave it, so it
// is not asked for again.
func (s *Service) RememberTimezone(ctx context.Context, u pipeline.User, tz string) error {
	return s.store.SetUserTimezone(ctx, s.store.DB(), u.WorkspaceID, u.ID, tz)
}
