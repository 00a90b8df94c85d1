// Package coalesce runs work per key, once for all the requests made while
// the key waits: one run after the last request covers them all.
package coalesce

import (
	"context"
	"sync"
)

// Queue holds the keys waiting for a run.
type Queue[K comparable] struct {
	mu       sync.Mutex
	pending  map[K]bool
	queue    chan K
	inFlight int // queued or running
	idle     *sync.Cond
}

// New is a queue of at most size waiting keys.
func New[K comparable](size int) *Queue[K] {
	q := &Queue[K]{pending: map[K]bool{}, queue: make(chan K, size)}
	q.idle = sync.NewCond(&q.mu)
	return q
}

// Request queues k unless it is already waiting. When the queue is full the
// request is dropped: the caller must have another way to catch up.
func (q *Queue[K]) Request(k K) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.pending[k] {
		return
	}
	select {
	case q.queue <- k:
		q.pending[k] = true
		q.inFlight++
	default:
	}
}

// Wait blocks until every run asked for so far is finished (Run must be
// running).
func (q *Queue[K]) Wait() {
	q.mu.Lock()
	for q.inFlight > 0 {
		q.idle.Wait()
	}
	q.mu.Unlock()
}

// Run runs work for the queued keys on workers goroutines until ctx ends.
// A key is no longer waiting once its run starts, so a request made during
// the run queues it again.
func (q *Queue[K]) Run(ctx context.Context, workers int, work func(K)) {
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				select {
				case <-ctx.Done():
					return
				case k := <-q.queue:
					q.mu.Lock()
					delete(q.pending, k)
					q.mu.Unlock()
					work(k)
					q.mu.Lock()
					if q.inFlight--; q.inFlight == 0 {
						q.idle.Broadcast()
					}
					q.mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
}
