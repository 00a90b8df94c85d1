package render

import (
	"strings"
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"
)

// The room's card names the room's deal and claims no pin: Slack may
// refuse the pin, and the card is posted before it.
func TestRoomCardClaimsNoPin(t *testing.T) {
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	d := pipeline.Deal{Number: 42, AccountName: "Acme <Co>", Stage: pipeline.StageProposal, CreatedAt: at, UpdatedAt: at, LastActivityAt: at}
	m := RoomCard(sales.RoomWork{Deal: d}, at)
	if !strings.Contains(m.Text, "This is the room of D-42 · Acme &lt;Co&gt;.") || strings.Contains(m.Text, "pinned") {
		t.Errorf("the card's text: %q", m.Text)
	}
}
