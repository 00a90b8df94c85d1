package webhooks

import (
	"testing"
	"time"
)

// Retries back off from 30 s, doubling, at most 6 h apart, and stop once
// the next would start more than 24 h after the first attempt.
func TestRetriesBackOffForADay(t *testing.T) {
	h, err := New(Config{Client: nil})
	if err == nil {
		t.Fatal("New without a client")
	}
	h = &Hooks{cfg: Config{RetryBase: defaultRetryBase}}
	for attempt, want := range map[int]time.Duration{1: 30 * time.Second, 2: time.Minute, 5: 8 * time.Minute,
		10: 256 * time.Minute, 11: 6 * time.Hour, 20: 6 * time.Hour} {
		if got := h.delay(attempt); got != want {
			t.Errorf("delay after attempt %d: %v, want %v", attempt, got, want)
		}
	}
	n := h.maxAttempts()
	var last time.Duration // when the last attempt starts, after the first
	for a := 1; a < n; a++ {
		last += h.delay(a)
	}
	if last > 24*time.Hour || last+h.delay(n) <= 24*time.Hour {
		t.Errorf("%d attempts, the last %v after the first: want the last within 24 h and no room for one more", n, last)
	}
}
