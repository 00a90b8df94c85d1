package scheduler

import "context"

// OnlyTeam makes s tick one workspace, so tests sharing a database stay apart.
func OnlyTeam(s *Scheduler, team string) { s.only = team }

// RunTickJob does what the periodic tick job does: tick, then prune.
func RunTickJob(ctx context.Context, s *Scheduler) error { return (&tickWorker{s: s}).Work(ctx, nil) }
