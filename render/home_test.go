package render

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/sales"
)

func TestHomeViewStaysWithinSlackLimits(t *testing.T) {
	now := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	h := sales.Home{Actor: pipeline.User{ID: "U0MGR"}, Currency: "USD", Now: now, Stages: pipeline.DefaultStages()}
	for i := range 150 {
		d := pipeline.Deal{Number: int64(i + 1), AccountName: strings.Repeat("Long name ", 30), Title: "x",
			Stage: pipeline.DefaultStages()[i%5].Key, Value: pipeline.Money{Minor: 100_00, Currency: "USD"}, Score: 40,
			LastActivityAt: now.Add(-20 * 24 * time.Hour)}
		h.Open = append(h.Open, d)
		h.Stale = append(h.Stale, d)
		h.Due = append(h.Due, sales.DueFollowUp{FollowUp: pipeline.FollowUp{DealNumber: d.Number, DueAt: now.Add(-time.Hour), Note: "call"}, AccountName: "Acme"})
	}
	for i := range 120 {
		h.Team = append(h.Team, sales.TeamMember{User: pipeline.User{ID: fmt.Sprintf("U%04d", i)}})
	}
	v := HomeView(h, time.UTC)
	if n := len(v.Blocks.BlockSet); n > MaxHomeBlocks {
		t.Fatalf("%d blocks, Slack allows %d in a Home tab", n, MaxHomeBlocks)
	}
	raw, _ := json.Marshal(v)
	text := string(raw)
	for _, want := range []string{"New lead", "Open deals* (150)", "Lead* · 30 · $3,000", "…and 25 more", "Follow-ups due* (150)",
		"overdue since", "…and 142 more", "Stale deals* (150)", "no activity for 20 days", "…and 145 more", "Your team* (120)", "…and 110 more"} {
		if !strings.Contains(text, want) {
			t.Errorf("Home lacks %q", want)
		}
	}
	for _, b := range v.Blocks.BlockSet {
		if b.BlockType() == slack.MBTSection {
			bs, _ := json.Marshal(b)
			var sec struct{ Text struct{ Text string } }
			json.Unmarshal(bs, &sec)
			if n := len([]rune(sec.Text.Text)); n > MaxSectionText {
				t.Errorf("a section has %d characters", n)
			}
		}
	}
}

func TestCapBlocks(t *testing.T) {
	blocks := HomeView(sales.Home{Now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}, time.UTC).Blocks.BlockSet
	for len(blocks) < 130 {
		blocks = append(blocks, TextSection("x"))
	}
	got := CapBlocks(blocks, 100)
	raw, _ := json.Marshal(got[len(got)-1])
	if len(got) != 100 || !strings.Contains(string(raw), fmt.Sprintf("…and %d more", 130-99)) {
		t.Fatalf("capBlocks gave %d blocks ending with %s", len(got), raw)
	}
}

// Every row of the Home tab acts: a deal row's Open shows its card, a
// follow-up's Done and Snooze are the reminder's, a rep's row opens their
// pipeline.
func TestHomeRowsHaveTheirButtons(t *testing.T) {
	now := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	open := pipeline.Deal{Number: 42, AccountName: "Acme", Stage: pipeline.StageLead}
	stale := pipeline.Deal{Number: 43, AccountName: "Globex", Stage: pipeline.StageQualified, LastActivityAt: now.Add(-20 * 24 * time.Hour)}
	h := sales.Home{Actor: pipeline.User{ID: "U0MGR", Role: pipeline.RoleManager}, Currency: "USD", Now: now, Stages: pipeline.DefaultStages(),
		Open: []pipeline.Deal{open, stale}, Stale: []pipeline.Deal{stale},
		Due:  []sales.DueFollowUp{{FollowUp: pipeline.FollowUp{ID: 9, DealNumber: 42, DueAt: now}, AccountName: "Acme"}},
		Team: []sales.TeamMember{{User: pipeline.User{ID: "U0SAM"}}}}
	type button struct{ block, action, value string }
	var got []button
	for _, b := range HomeView(h, time.UTC).Blocks.BlockSet {
		switch b := b.(type) {
		case *slack.SectionBlock:
			if b.Accessory != nil && b.Accessory.ButtonElement != nil {
				got = append(got, button{b.BlockID, b.Accessory.ButtonElement.ActionID, b.Accessory.ButtonElement.Value})
			}
		case *slack.ActionBlock:
			for _, e := range b.Elements.ElementSet {
				if btn, ok := e.(*slack.ButtonBlockElement); ok {
					got = append(got, button{b.BlockID, btn.ActionID, btn.Value})
				}
			}
		}
	}
	want := []button{
		{"home_actions", ActHomeNewLead, "new"},
		{"home_open_42", ActOpen, "42"}, {"home_open_43", ActOpen, "43"},
		{"home_due_9", ActionFollowUpDone, "9"}, {"home_due_9", ActionFollowUpSnooze, "9"}, {"home_due_9", ActOpen, "42"},
		{"home_stale_43", ActOpen, "43"},
		{"home_team_U0SAM", ActHomeRep, "U0SAM"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Home buttons:\n got %v\nwant %v", got, want)
	}
}
