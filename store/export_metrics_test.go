package store

// AggregateSQL lets the external tests EXPLAIN the metric and digest
// queries: each takes (team, owners, …) as metrics.go documents.
func AggregateSQL() map[string]string {
	return map[string]string{
		"open by stage": openByStageSQL, "open closing": openClosingSQL, "won in": wonInSQL,
		"closed groups": closedGroupsSQL, "arr": arrSQL, "new deals": newDealsSQL, "closed in": closedInSQL,
		"stage moves": stageMovesSQL, "stale count": staleCountSQL, "overdue": overdueSQL, "closing": closingSQL,
	}
}
