package scheduler_test

import (
	"strings"
	"testing"

	"salesbot/scheduler"
)

// The scheduler has no clock of its own: one not given is a wiring error,
// not a silent second clock.
func TestNewRequiresTheClock(t *testing.T) {
	t.Parallel()
	_, err := scheduler.New(scheduler.Config{})
	if err == nil || !strings.Contains(err.Error(), "Config.Clock is required") {
		t.Errorf("New without a clock: err = %v, want it to ask for Config.Clock", err)
	}
}
