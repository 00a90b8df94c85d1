package commands

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/store"
)

func TestHomeViewStaysWithinSlackLimits(t *testing.T) {
	now := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	h := homeData{user: pipeline.User{ID: "U0MGR"}, currency: "USD", now: now, loc: time.UTC, stages: pipeline.DefaultStages(),
		teamOpen: map[string]store.OwnerTotal{}, teamStale: map[string]int{}}
	for i := range 150 {
		d := pipeline.Deal{Number: int64(i + 1), AccountName: strings.Repeat("Long name ", 30), Title: "x",
			Stage: pipeline.DefaultStages()[i%5].Key, Value: pipeline.Money{Minor: 100_00, Currency: "USD"}, Score: 40,
			LastActivityAt: now.Add(-20 * 24 * time.Hour)}
		h.open = append(h.open, d)
		h.stale = append(h.stale, d)
		h.due = append(h.due, store.DueFollowUp{FollowUp: pipeline.FollowUp{DealNumber: d.Number, DueAt: now.Add(-time.Hour), Note: "call"}, AccountName: "Acme"})
	}
	for i := range 120 {
		h.team = append(h.team, pipeline.User{ID: fmt.Sprintf("U%04d", i)})
	}
	v := homeView(h)
	if n := len(v.Blocks.BlockSet); n > maxHomeBlocks {
		t.Fatalf("%d blocks, Slack allows %d in a Home tab", n, maxHomeBlocks)
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
			if n := len([]rune(sec.Text.Text)); n > render.MaxSectionText {
				t.Errorf("a section has %d characters", n)
			}
		}
	}
}

func TestCapBlocks(t *testing.T) {
	blocks := homeView(homeData{now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), loc: time.UTC}).Blocks.BlockSet
	for len(blocks) < 130 {
		blocks = append(blocks, render.TextSection("x"))
	}
	got := render.CapBlocks(blocks, 100)
	raw, _ := json.Marshal(got[len(got)-1])
	if len(got) != 100 || !strings.Contains(string(raw), fmt.Sprintf("…and %d more", 130-99)) {
		t.Fatalf("capBlocks gave %d blocks ending with %s", len(got), raw)
	}
}
