package pipeline

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestParseRuleConditions(t *testing.T) {
	t.Parallel()
	r, err := ParseRuleConditions("industry=Financial services size=51-200 Territory = EMEA")
	if err != nil || r.Industry != "Financial services" || r.Size != "51-200" || r.Territory != "EMEA" {
		t.Fatalf("got %+v, %v", r, err)
	}
	if r.Conditions() != "industry=Financial services size=51-200 territory=EMEA" {
		t.Errorf("Conditions() = %q", r.Conditions())
	}
	for _, bad := range []string{"", "Software", "industry=", "size=huge", "industry=a industry=b", "foo industry=a"} {
		if _, err := ParseRuleConditions(bad); !errors.Is(err, ErrRuleUnreadable) {
			t.Errorf("%q: err = %v", bad, err)
		}
	}
}

func TestRoute(t *testing.T) {
	t.Parallel()
	at := func(min int) *time.Time { t := time.Date(2026, 11, 2, 9, min, 0, 0, time.UTC); return &t }
	reps := []Rep{
		{ID: "UANN", Role: RoleRep, ManagerID: "UMGR", LastRoutedAt: at(5)},
		{ID: "UBOB", Role: RoleRep, ManagerID: "UMGR", LastRoutedAt: at(1)},
		{ID: "UCAT", Role: RoleRep, LastRoutedAt: nil},
		{ID: "UDAN", Role: RoleRep, Away: true},
		{ID: "UEVE", Role: RoleRep, Deactivated: true},
		{ID: "UFAY", Role: RoleRep, Capacity: 2, OpenLeads: 2},
		{ID: "UGUS", Role: RoleRep, Capacity: 3, OpenLeads: 2, LastRoutedAt: at(9)},
		{ID: "UMGR", Role: RoleManager},
	}
	rules := []RoutingRule{
		{Industry: "Software", Size: "5000+", To: "UMGR"},
		{Industry: "software", To: "UMGR", Team: true},
		{Territory: "EMEA", To: "UFAY"},
		{Territory: "APAC", To: "UGUS"},
	}
	ids := func(cs []Choice) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.RepID)
		}
		return out
	}
	tests := []struct {
		name       string
		in         RouteInput
		want       []string
		firstWhy   string
		rules      []RoutingRule
		noDefaults bool
	}{
		{name: "round-robin: never routed, then oldest", in: RouteInput{Industry: "Retail"},
			want: []string{"UCAT", "UBOB", "UANN", "UGUS"}, firstWhy: "round-robin"},
		{name: "rule to a manager (not a rep) wins", in: RouteInput{Industry: "SOFTWARE", Size: "5000+"},
			want: []string{"UMGR", "UBOB", "UANN", "UCAT", "UGUS"}, firstWhy: "rule 1 (industry=Software size=5000+)"},
		{name: "team rule round-robins the team", in: RouteInput{Industry: "Software"},
			want: []string{"UBOB", "UANN", "UCAT", "UGUS"}, firstWhy: "rule 2 (industry=software)"},
		{name: "rep at capacity falls through", in: RouteInput{Territory: "emea"},
			want: []string{"UCAT", "UBOB", "UANN", "UGUS"}, firstWhy: "round-robin"},
		{name: "rep under capacity", in: RouteInput{Territory: "APAC"},
			want: []string{"UGUS", "UCAT", "UBOB", "UANN"}, firstWhy: "rule 4 (territory=APAC)"},
		{name: "declined reps are skipped", in: RouteInput{Industry: "Software", Exclude: []string{"UBOB", "UCAT"}},
			want: []string{"UANN", "UGUS"}, firstWhy: "rule 2 (industry=software)"},
		{name: "nobody left", in: RouteInput{Exclude: []string{"UANN", "UBOB", "UCAT", "UGUS"}}, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Route(tt.in, rules, reps)
			if !slices.Equal(ids(got), tt.want) {
				t.Fatalf("Route = %v, want %v", ids(got), tt.want)
			}
			if len(got) > 0 && got[0].Reason != tt.firstWhy {
				t.Errorf("reason = %q, want %q", got[0].Reason, tt.firstWhy)
			}
		})
	}
}
