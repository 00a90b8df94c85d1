package commands

import (
	"context"
)

// homeKey is one Home tab to republish; managerToo also republishes the
// person's manager's, whose Home shows the team.
type homeKey struct {
	team, user string
	managerToo bool
}

// Home tab refreshes are coalesced: a Home already waiting to be republished
// is not queued again, since one publish after the last change shows them
// all. A burst of 300 new leads a second by ten reps is ten publishes, not
// 300. When the queue is full a refresh is dropped: the Home is rebuilt the
// next time it is opened.
const homeQueue = 4096

// homeWorkers is how many Home tabs are built at once: each reads the
// database, and leads being saved come first.
const homeWorkers = 2

// WaitHome blocks until every Home refresh asked for so far is published
// (RunHome must be running).
func (a *App) WaitHome() { a.home.Wait() }

// RunHome republishes the Home tabs that changes asked for, until ctx ends.
func (a *App) RunHome(ctx context.Context) error {
	a.home.Run(ctx, homeWorkers, func(k homeKey) { a.refreshHome(context.WithoutCancel(ctx), k) })
	return nil
}

func (a *App) refreshHome(ctx context.Context, k homeKey) {
	dbctx, cancel := context.WithTimeout(ctx, dbTimeout)
	opened, manager, err := a.sales.HomeRefresh(dbctx, k.team, k.user, k.managerToo)
	cancel()
	if manager != "" {
		a.home.Request(homeKey{team: k.team, user: manager})
	}
	if err != nil || !opened {
		return // it is built fresh when they first open it
	}
	if err := a.publishHome(ctx, k.team, k.user); err != nil {
		a.log.Warn("home: republish", "team", k.team, "user", k.user, "error", err)
	}
}
