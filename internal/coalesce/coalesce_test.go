package coalesce

import (
	"context"
	"sync"
	"testing"
)

// runAll runs q until every request made so far has run, and counts the
// runs per key.
func runAll(t *testing.T, q *Queue[string]) map[string]int {
	t.Helper()
	var mu sync.Mutex
	runs := map[string]int{}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		q.Run(ctx, 2, func(k string) { mu.Lock(); runs[k]++; mu.Unlock() })
		close(done)
	}()
	q.Wait()
	cancel()
	<-done
	return runs
}

func TestRequestsForAWaitingKeyRunOnce(t *testing.T) {
	q := New[string](8)
	q.Request("a")
	q.Request("a")
	q.Request("b")
	if runs := runAll(t, q); runs["a"] != 1 || runs["b"] != 1 || len(runs) != 2 {
		t.Errorf("runs = %v, want a and b once each", runs)
	}
	// Once run, a key is queued again by the next request.
	q.Request("a")
	if runs := runAll(t, q); runs["a"] != 1 || len(runs) != 1 {
		t.Errorf("runs after a new request = %v, want a once", runs)
	}
}

func TestAFullQueueDropsTheRequest(t *testing.T) {
	q := New[string](1)
	q.Request("a")
	q.Request("b")
	if runs := runAll(t, q); runs["a"] != 1 || runs["b"] != 0 {
		t.Errorf("runs = %v, want a once and b dropped", runs)
	}
}
