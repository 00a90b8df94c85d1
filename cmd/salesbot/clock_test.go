package main

import (
	"testing"
	"time"
)

// setupAt is setup with the commands' and the scheduler's clock pinned at
// now, so what the test sees does not depend on the day or hour it runs.
func setupAt(t *testing.T, now time.Time) *harness {
	t.Helper()
	return setup(t, serviceOption{now: func() time.Time { return now }})
}

// existedSince backdates the test's workspace (created by its first
// command, at the database's wall clock) to at, so ticks at the test's
// pinned dates find it.
func (h *harness) existedSince(at time.Time) {
	h.t.Helper()
	h.sql(`UPDATE workspaces SET created_at = $2 WHERE id = $1`, h.team, at)
}
