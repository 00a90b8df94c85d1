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
	for _, want := range []string{"New lead", "Open deals* (150)", "Lead* · 30 · $3,000", "…and 20 more", "Follow-ups due* (150)",
		"overdue since", "Stale deals* (150)", "no activity for 20 days", "Your team* (120)", "…and 110 more"} {
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
