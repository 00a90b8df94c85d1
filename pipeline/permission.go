package pipeline

import (
	"errors"
	"fmt"
)

// ErrForbidden is wrapped by every refusal; its message says why.
var ErrForbidden = errors.New("not allowed")

// Authorize says whether actor may see and change a deal owned by owner: a
// rep their own deals, a manager also their team's, an admin everything.
func Authorize(actor, owner User) error {
	switch {
	case actor.WorkspaceID != owner.WorkspaceID:
		return fmt.Errorf("%w: that deal is not in your workspace", ErrForbidden)
	case actor.Role == RoleAdmin, actor.ID == owner.ID:
		return nil
	case actor.Role == RoleManager && owner.ManagerID == actor.ID:
		return nil
	case actor.Role == RoleManager:
		return fmt.Errorf("%w: that deal belongs to <@%s>, who is not on your team", ErrForbidden, owner.ID)
	}
	return fmt.Errorf("%w: that deal belongs to <@%s>; only they, their manager or an admin can work on it", ErrForbidden, owner.ID)
}

// AuthorizeAdmin says whether actor may change workspace settings and roles.
func AuthorizeAdmin(actor User) error {
	if actor.Role != RoleAdmin {
		return fmt.Errorf("%w: only an admin can do that; ask one of your salesbot admins", ErrForbidden)
	}
	return nil
}

// ValidRole reports whether r is a role salesbot knows.
func ValidRole(r string) bool {
	return r == RoleRep || r == RoleManager || r == RoleAdmin
}
