package render

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"
)

// The fixed world of the golden files: a pinned now, a viewer in UTC-5 and a
// deal whose names hold Slack markup, which must come out escaped.
var (
	goldenNow = time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	goldenLoc = time.FixedZone("EST", -5*60*60)
)

func goldenDeal() pipeline.Deal {
	closeBy := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	return pipeline.Deal{
		ID: 7, WorkspaceID: "T0GOLD", Number: 42,
		AccountName: "Acme <b>&</b> Sons", Title: "Renewal <!here>",
		Stage: pipeline.StageProposal, Value: pipeline.Money{Minor: 12_500_00, Currency: "USD"}, Recurring: true,
		OwnerID: "U0REP1", ContactName: "Jane <Doe>", ContactEmail: "jane@acme.example",
		ExpectedClose: &closeBy, Source: "cold call", Score: 72, ScoreReasons: []string{"industry fits", "budget <confirmed>"},
		CreatedAt: goldenNow.Add(-30 * 24 * time.Hour), LastActivityAt: goldenNow.Add(-3 * time.Hour),
	}
}

func TestGoldenDealCard(t *testing.T) {
	d := goldenDeal()
	next := &pipeline.FollowUp{DealNumber: d.Number, DueAt: goldenNow.Add(26 * time.Hour), Note: "send quote"}
	blocks := DealCard(Card{Deal: d, Stages: pipeline.DefaultStages(), Next: next, Loc: goldenLoc, Now: goldenNow, Buttons: true})
	golden(t, "deal_card", messageText(t, "", blocks))
}

func TestGoldenWonAnnouncement(t *testing.T) {
	d := goldenDeal()
	d.Stage = pipeline.StageWon
	closed := goldenNow
	d.ClosedAt = &closed
	m := WonAnnouncement(sales.DealWon{Deal: d, Channel: "C0WINS", At: goldenNow})
	golden(t, "won_announcement", messageText(t, m.Text, m.Blocks))
}

func TestGoldenRoutedOffer(t *testing.T) {
	d := goldenDeal()
	d.Stage = pipeline.StageLead
	m := RoutedOffer(sales.LeadRouted{Deal: d, Reason: "industry = <Software>"})
	golden(t, "routed_offer", messageText(t, m.Text, m.Blocks))
}

func TestGoldenHomeView(t *testing.T) {
	d := goldenDeal()
	stale := goldenDeal()
	stale.Number, stale.Stage, stale.LastActivityAt = 43, pipeline.StageQualified, goldenNow.Add(-20*24*time.Hour)
	h := sales.Home{
		Actor: pipeline.User{WorkspaceID: "T0GOLD", ID: "U0MGR", Role: pipeline.RoleManager}, Currency: "USD", Now: goldenNow,
		Stages: pipeline.DefaultStages(), Open: []pipeline.Deal{d, stale},
		Due: []sales.DueFollowUp{
			{FollowUp: pipeline.FollowUp{ID: 7, DealNumber: 42, DueAt: goldenNow.Add(-2 * time.Hour), Note: "call <back>"}, AccountName: d.AccountName},
			{FollowUp: pipeline.FollowUp{ID: 8, DealNumber: 43, DueAt: goldenNow.Add(4 * time.Hour)}, AccountName: "Globex"},
		},
		Stale: []pipeline.Deal{stale},
		Team:  []sales.TeamMember{{User: pipeline.User{ID: "U0REP1"}, Open: 2, Amount: 25_000_00, Stale: 1}},
	}
	golden(t, "home", messageText(t, "", HomeView(h, goldenLoc)))
}

func TestGoldenErrorWords(t *testing.T) {
	var b strings.Builder
	for _, c := range []struct {
		name string
		err  error
	}{
		{"ErrNotFound", sales.ErrNotFound{Number: 42}},
		{"ErrForbidden", sales.ErrForbidden{Owner: "U0REP1"}},
		{"ErrOwnLeadsOnly", sales.ErrOwnLeadsOnly},
		{"ErrFollowUpNotFound", sales.ErrFollowUpNotFound{ID: 9}},
		{"ValidationError", &sales.ValidationError{Field: "company", Msg: `The company "<Acme & Co>" is longer than 200 characters.`}},
	} {
		text, ok := ErrorText(c.err)
		if !ok {
			t.Errorf("%s has no words", c.name)
		}
		fmt.Fprintf(&b, "%s: %s\n", c.name, text)
	}
	golden(t, "error_words", []byte(b.String()))
}

func TestGoldenLeadCreated(t *testing.T) {
	d := goldenDeal()
	d.Stage = pipeline.StageLead
	m := LeadCreated(d, "U0MGR", goldenNow)
	golden(t, "lead_created", messageText(t, m.Text, m.Blocks))
}
