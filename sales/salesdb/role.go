package salesdb

import (
	"context"
	"errors"
	"sync"
	"time"

	"salesbot/pipeline"
	"salesbot/store"
)

// roleFresh is how long Role trusts a role it read: help asks for it on
// every request, and a role rarely changes. A change made through this
// service is seen at once; one made by another replica within roleFresh.
const roleFresh = 30 * time.Second

// roles remembers the roles Role read, by workspace and person, with when.
type roles struct {
	mu   sync.Mutex
	seen map[[2]string]roleSeen
}

type roleSeen struct {
	role string
	at   time.Time
}

func (r *roles) get(team, user string, now time.Time) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v, ok := r.seen[[2]string{team, user}]
	if !ok || now.Sub(v.at) >= roleFresh || now.Before(v.at) {
		return "", false
	}
	return v.role, true
}

func (r *roles) put(team, user, role string, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen == nil || len(r.seen) >= 10000 { // a bound, not an eviction policy
		r.seen = map[[2]string]roleSeen{}
	}
	r.seen[[2]string{team, user}] = roleSeen{role: role, at: now}
}

func (r *roles) forget(team, user string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.seen, [2]string{team, user})
}

// Role is the role of a person as salesbot knows them, read without
// recording anyone: the configured admins are admins, someone not seen yet
// is a rep. It is one primary-key read, remembered for roleFresh, cheap
// enough for an answer that depends on who asks (help).
func (s *Service) Role(ctx context.Context, team, user string) (string, error) {
	if s.admins[user] {
		return pipeline.RoleAdmin, nil
	}
	now := s.now()
	if role, ok := s.roles.get(team, user, now); ok {
		return role, nil
	}
	u, err := s.store.User(ctx, s.store.DB(), team, user)
	switch {
	case errors.Is(err, store.ErrNotFound):
		u.Role = pipeline.RoleRep
	case err != nil:
		return "", err
	case u.Role == "":
		u.Role = pipeline.RoleRep
	}
	s.roles.put(team, user, u.Role, now)
	return u.Role, nil
}
