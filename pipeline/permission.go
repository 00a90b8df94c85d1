package pipeline

import (
	"errors"
	"fmt"
	"strings"
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

// AuthorizeAdminTo says whether actor may make a workspace-wide change,
// what the refusal names ("change settings").
func AuthorizeAdminTo(actor User, what string) error {
	if actor.Role != RoleAdmin {
		return AdminOnlyError{What: what}
	}
	return nil
}

// AdminOnlyError is a request only an admin may make; What says what it
// was ("change settings"), "" for "do that". Every AdminOnlyError is
// ErrAdminOnly and ErrForbidden to errors.Is.
type AdminOnlyError struct{ What string }

// ErrAdminOnly matches every AdminOnlyError.
var ErrAdminOnly error = AdminOnlyError{}

func (e AdminOnlyError) Error() string {
	return fmt.Sprintf("%v: only an admin can %s; ask one of your salesbot admins", ErrForbidden, e.Doing())
}

// Doing is what the refused request was, in words.
func (e AdminOnlyError) Doing() string {
	if e.What == "" {
		return "do that"
	}
	return e.What
}

func (e AdminOnlyError) Is(target error) bool {
	_, ok := target.(AdminOnlyError)
	return ok || target == ErrForbidden
}

// ValidRole reports whether r is a role salesbot knows.
func ValidRole(r string) bool {
	return r == RoleRep || r == RoleManager || r == RoleAdmin
}

// RefuseDeal is Authorize's verdict on actor working on a deal owned by
// owner, naming who can instead: the owner, their manager when they have
// one, and the admins.
func RefuseDeal(actor, owner User, admins []string) error {
	err := Authorize(actor, owner)
	if err == nil || actor.WorkspaceID != owner.WorkspaceID {
		return err
	}
	belongs := "that deal belongs to <@" + owner.ID + ">"
	if actor.Role == RoleManager {
		belongs += ", who is not on your team"
	}
	who := "they"
	if owner.ManagerID != "" {
		who += ", their manager <@" + owner.ManagerID + ">"
	}
	admin := "an admin"
	if len(admins) > 0 {
		names := make([]string, len(admins))
		for i, id := range admins {
			names[i] = "<@" + id + ">"
		}
		admin += " (" + strings.Join(names, ", ") + ")"
	}
	return fmt.Errorf("%w: %s; only %s or %s can work on it", ErrForbidden, belongs, who, admin)
}
