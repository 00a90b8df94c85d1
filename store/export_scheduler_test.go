package store

// SchedulerSQL lets the external tests EXPLAIN the scheduler's scans.
func SchedulerSQL() (stale, due, closePassed string) {
	return selectStaleForAlert, selectDueFollowUps, selectClosePassed
}
