package store

// StaleDealsSQL lets the external tests EXPLAIN the stale scan.
func StaleDealsSQL() string { return selectStaleDeals }
