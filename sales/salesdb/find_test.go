package salesdb_test

import (
	"testing"

	"salesbot/sales"
)

// /deal find searches only the deals the person may see.
func TestFindDealsOnlyWhatTheActorMaySee(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t) // U0REP1's, on Acme Corp

	for _, c := range []struct {
		actor string
		want  int
	}{{"U0REP1", 1}, {"U0REP2", 0}, {"U0ADMIN", 1}} {
		found, err := e.svc.FindDeals(t.Context(), sales.FindDeals{Actor: e.user(t, c.actor), Query: "acme", Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(found) != c.want || (c.want == 1 && found[0].Number != d.Number) {
			t.Errorf("%s finds %v; want %d deal(s)", c.actor, found, c.want)
		}
	}
}
