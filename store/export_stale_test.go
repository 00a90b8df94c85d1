package store

// StaleScopeSQL lets the external tests EXPLAIN the scoped stale scans:
// the whole workspace's page (team, now, limit) and the owners' (team,
// now, owners, limit).
func StaleScopeSQL() (all, owners string) { return selectStaleDealsPage, selectStaleDealsOf }
