package pipeline

import "fmt"

// Scope is whose deals a pipeline figure counts.
type Scope struct {
	Name   string   // "mine", "team" or "all"
	Owners []string // deal owners counted; nil = everyone in the workspace
}

// Scope names people type after /pipeline.
const (
	ScopeMine = "mine"
	ScopeTeam = "team"
	ScopeAll  = "all"
)

// DefaultScope is what a person sees when they do not say: a rep their own
// deals, a manager their team's, an admin the whole workspace.
func DefaultScope(actor User) string {
	switch actor.Role {
	case RoleAdmin:
		return ScopeAll
	case RoleManager:
		return ScopeTeam
	}
	return ScopeMine
}

// AuthorizeScope says which owners actor may see under the scope they asked
// for ("" = DefaultScope): a rep only their own deals, a manager their team's
// (they included), an admin everything (their team's when they have one and
// ask for "team"). team is the people whose manager is actor.
func AuthorizeScope(actor User, want string, team []User) (Scope, error) {
	if want == "" {
		want = DefaultScope(actor)
	}
	mine := Scope{Name: ScopeMine, Owners: []string{actor.ID}}
	teamScope := func() Scope {
		s := Scope{Name: ScopeTeam, Owners: []string{actor.ID}}
		for _, u := range team {
			s.Owners = append(s.Owners, u.ID)
		}
		return s
	}
	switch want {
	case ScopeMine:
		return mine, nil
	case ScopeTeam:
		switch {
		case actor.Role == RoleManager, actor.Role == RoleAdmin && len(team) > 0:
			return teamScope(), nil
		case actor.Role == RoleAdmin:
			return Scope{Name: ScopeAll}, nil
		}
		return Scope{}, fmt.Errorf("%w: only managers have a team; `/pipeline mine` shows your own deals", ErrForbidden)
	case ScopeAll:
		if actor.Role == RoleAdmin {
			return Scope{Name: ScopeAll}, nil
		}
		if actor.Role == RoleManager {
			return Scope{}, fmt.Errorf("%w: only admins see the whole workspace; `/pipeline team` shows your team", ErrForbidden)
		}
		return Scope{}, fmt.Errorf("%w: only admins see the whole workspace; `/pipeline mine` shows your own deals", ErrForbidden)
	}
	return Scope{}, fmt.Errorf("unknown scope %q: use mine, team or all", want)
}
