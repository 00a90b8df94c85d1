package api

import (
	"fmt"
	"testing"
	"time"
)

// Buckets idle until full again are dropped; a busy one is kept, and a
// dropped name starts over with a full bucket.
func TestLimitersEvictIdle(t *testing.T) {
	now := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	l := newLimiters(1, func() time.Time { return now }) // burst 2, full again in 2 s
	for i := range 1000 {
		if ok, _ := l.take(fmt.Sprintf("ip-%d", i)); !ok {
			t.Fatal("a new name was refused")
		}
	}
	l.take("busy")
	l.take("busy")
	if ok, wait := l.take("busy"); ok || wait != time.Second {
		t.Errorf("third take at once: ok %v, wait %v; want refused for 1 s", ok, wait)
	}
	if n := l.size(); n != 1001 {
		t.Fatalf("size %d, want 1001", n)
	}
	now = now.Add(sweepEvery - time.Second)
	l.take("busy") // a second before the sweep: not yet full again
	now = now.Add(time.Second)
	l.take("new")
	if n := l.size(); n != 2 {
		t.Errorf("after a sweep: %d buckets, want the busy and the new one", n)
	}
}
