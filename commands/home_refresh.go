package commands

import (
	"context"
	"sync"
)

// homeKey is one Home tab to republish; managerToo also republishes the
// person's manager's, whose Home shows the team.
type homeKey struct {
	team, user string
	managerToo bool
}

// homeRefresh coalesces Home tab refreshes: a Home already waiting to be
// republished is not queued again, since one publish after the last change
// shows them all. A burst of 300 new leads a second by ten reps is ten
// publishes, not 300.
type homeRefresh struct {
	mu       sync.Mutex
	pending  map[homeKey]bool
	queue    chan homeKey
	inFlight int // queued or being published
	idle     *sync.Cond
}

// homeWorkers is how many Home tabs are built at once: each reads the
// database, and leads being saved come first.
const homeWorkers = 2

func newHomeRefresh() *homeRefresh {
	h := &homeRefresh{pending: map[homeKey]bool{}, queue: make(chan homeKey, 4096)}
	h.idle = sync.NewCond(&h.mu)
	return h
}

// request queues k unless it is already waiting. When the queue is full the
// refresh is dropped: the Home is rebuilt the next time it is opened.
func (h *homeRefresh) request(k homeKey) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.pending[k] {
		return
	}
	select {
	case h.queue <- k:
		h.pending[k] = true
		h.inFlight++
	default:
	}
}

// take marks k as no longer waiting, so a change made while it is being
// published queues it again.
func (h *homeRefresh) take(k homeKey) {
	h.mu.Lock()
	delete(h.pending, k)
	h.mu.Unlock()
}

// done marks a refresh finished.
func (h *homeRefresh) done() {
	h.mu.Lock()
	if h.inFlight--; h.inFlight == 0 {
		h.idle.Broadcast()
	}
	h.mu.Unlock()
}

// WaitHome blocks until every Home refresh asked for so far is published
// (RunHome must be running).
func (a *App) WaitHome() {
	a.home.mu.Lock()
	for a.home.inFlight > 0 {
		a.home.idle.Wait()
	}
	a.home.mu.Unlock()
}

// RunHome republishes the Home tabs that changes asked for, until ctx ends.
func (a *App) RunHome(ctx context.Context) error {
	var wg sync.WaitGroup
	for range homeWorkers {
		wg.Go(func() {
			for {
				select {
				case <-ctx.Done():
					return
				case k := <-a.home.queue:
					a.home.take(k)
					a.refreshHome(context.WithoutCancel(ctx), k)
					a.home.done()
				}
			}
		})
	}
	wg.Wait()
	return nil
}

func (a *App) refreshHome(ctx context.Context, k homeKey) {
	dbctx, cancel := context.WithTimeout(ctx, dbTimeout)
	manager, opened, err := a.store.HomeRefresh(dbctx, k.team, k.user) // one query for both
	cancel()
	if err != nil {
		return
	}
	if k.managerToo && manager != "" {
		a.home.request(homeKey{team: k.team, user: manager})
	}
	if !opened {
		return // it is built fresh when they first open it
	}
	if err := a.publishHome(ctx, k.team, k.user); err != nil {
		a.log.Warn("home: republish", "team", k.team, "user", k.user, "error", err)
	}
}
