package outbox

import (
	"testing"
	"time"
)

// clock is a hand-moved time for the pacer.
type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock               { return &clock{t: time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)} }
func ms(n int) time.Duration         { return time.Duration(n) * time.Millisecond }

func TestPacerSpacesOneChannelAndNotOthers(t *testing.T) {
	t.Parallel()
	c := newClock()
	p := newPacer(time.Second, ms(200), c.now) // waits up to 400 ms in the worker; snoozes end 100 ms early
	type want struct {
		wait   time.Duration
		snooze bool
	}
	steps := []struct {
		name string
		key  string
		job  int64
		want want
	}{
		{"first post goes at once", "T/C1", 1, want{0, false}},
		{"another channel is not held back", "T/C2", 2, want{0, false}},
		{"second post to C1 is a second away: snooze, to be back early", "T/C1", 3, want{ms(900), true}},
		{"third post to C1 gets the slot after", "T/C1", 4, want{ms(1900), true}},
	}
	for _, s := range steps {
		if wait, snooze := p.turn(s.key, s.job); wait != s.want.wait || snooze != s.want.snooze {
			t.Errorf("%s: turn = (%s, %v), want (%s, %v)", s.name, wait, snooze, s.want.wait, s.want.snooze)
		}
	}
	// Job 3 comes back 50 ms late: it posts at once.
	c.add(ms(1050))
	if wait, snooze := p.turn("T/C1", 3); wait != 0 || snooze {
		t.Errorf("job 3 back late: turn = (%s, %v), want (0, false)", wait, snooze)
	}
	// Job 4 comes back on time for its slot, but only 950 ms after job 3
	// posted: it waits the rest of the interval in the worker.
	c.add(ms(950))
	if wait, snooze := p.turn("T/C1", 4); wait != ms(50) || snooze {
		t.Errorf("job 4: turn = (%s, %v), want (50ms, false)", wait, snooze)
	}
}

func TestPacerSnoozesUntilTheSlotItKeeps(t *testing.T) {
	t.Parallel()
	c := newClock()
	p := newPacer(time.Second, ms(200), c.now) // waits up to 400 ms in the worker; snoozes end 100 ms early
	for job := int64(1); job <= 10; job++ {
		p.turn("T/C1", job)
	}
	// Job 10 holds the slot 9 s away, however often it asks; a new job
	// queues behind it.
	if wait, snooze := p.turn("T/C1", 10); wait != ms(8900) || !snooze {
		t.Fatalf("job 10: turn = (%s, %v), want (8.9s, true)", wait, snooze)
	}
	if wait, _ := p.turn("T/C1", 11); wait != ms(9900) {
		t.Errorf("job 11: wait %s, want 9.9s", wait)
	}
	c.add(9*time.Second + ms(100))
	if wait, snooze := p.turn("T/C1", 10); wait != 0 || snooze {
		t.Errorf("job 10 back at its slot: turn = (%s, %v), want (0, false)", wait, snooze)
	}
}

func TestPacerBacksOffAfterRateLimit(t *testing.T) {
	t.Parallel()
	c := newClock()
	p := newPacer(time.Second, ms(200), c.now) // waits up to 400 ms in the worker; snoozes end 100 ms early
	p.turn("T/C1", 1)
	p.turn("T/C1", 2) // snoozed, holding the slot at +1 s
	p.backOff("T/C1", 5*time.Second)
	c.add(time.Second)
	if wait, snooze := p.turn("T/C1", 2); wait != ms(3900) || !snooze {
		t.Errorf("held job during back-off: turn = (%s, %v), want (3.9s, true)", wait, snooze)
	}
	if wait, _ := p.turn("T/C9", 3); wait != 0 {
		t.Errorf("other channel waits %s during C1's back-off, want 0", wait)
	}
}

func TestRetryDelayDoublesToACap(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		attempt int
		base    time.Duration
	}{{1, time.Second}, {2, 2 * time.Second}, {5, 16 * time.Second}, {9, 256 * time.Second}, {10, maxRetryDelay}, {24, maxRetryDelay}} {
		if d := retryDelay(tc.attempt); d < tc.base || d > tc.base+tc.base/10 {
			t.Errorf("retryDelay(%d) = %s, want %s plus at most 10%%", tc.attempt, d, tc.base)
		}
	}
}
