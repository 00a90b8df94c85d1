package salesdb

import (
	"context"
	"errors"

	"salesbot/pipeline"
	"salesbot/store"
)

// Role is the role of a person as salesbot knows them, read without
// recording anyone: the configured admins are admins, someone not seen yet
// is a rep. It is one primary-key read, cheap enough for an answer that
// depends on who asks (help).
func (s *Service) Role(ctx context.Context, team, user string) (string, error) {
	if s.admins[user] {
		return pipeline.RoleAdmin, nil
	}
	u, err := s.store.User(ctx, s.store.DB(), team, user)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return pipeline.RoleRep, nil
	case err != nil:
		return "", err
	case u.Role == "":
		return pipeline.RoleRep, nil
	}
	return u.Role, nil
}
