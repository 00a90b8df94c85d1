package scheduler

import "context"

// RunTickJob does what one round of Loop does: tick, then prune.
func RunTickJob(ctx context.Context, s *Scheduler) error { return s.tickAndPrune(ctx) }
