package store

// ListDealsQuery and FindDealsQuery let the external tests EXPLAIN the
// queries ListDeals and FindDeals run.
func ListDealsQuery(teamID string, f DealFilter) (string, []any) { return listDealsQuery(teamID, f) }

func FindDealsQuery(teamID, query string, limit int) (string, []any) {
	return findDeals, findDealsArgs(teamID, query, nil, limit)
}
