package main

import (
	"database/sql"
	"fmt"
	"maps"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"

	"salesbot/outbox"
	"salesbot/rooms"
	"salesbot/scheduler"
	"salesbot/webhooks"
)

// newJobClient builds the process's one River client, working the served
// workspaces' outbox, journal and scheduler queues, with an empty bundle of
// workers. River accepts workers until the client starts, so each part
// registers its own once it is built on the client (the outbox enqueues on
// it; the commands need the outbox; the scheduler and the envelope replays
// need the commands): no part is filled in after it is built.
func newJobClient(ocfg outbox.Config, teams []string) (*river.Client[*sql.Tx], *river.Workers, error) {
	workers := river.NewWorkers()
	queues := outbox.Queues(ocfg)
	maps.Copy(queues, outbox.JournalQueues(teams))
	maps.Copy(queues, scheduler.Queues(teams))
	maps.Copy(queues, webhooks.Queues(teams))
	maps.Copy(queues, rooms.Queues(teams))
	rc, err := outbox.RiverConfig(ocfg, workers, queues)
	if err != nil {
		return nil, nil, err
	}
	client, err := river.NewClient(riverdatabasesql.New(ocfg.DB), rc)
	if err != nil {
		return nil, nil, fmt.Errorf("river client: %w", err)
	}
	return client, workers, nil
}
