package pipeline

import "testing"

// Latin letters without an accent to strip are spelled out, not dropped.
func TestRoomNameSpellsLatinLetters(t *testing.T) {
	for account, want := range map[string]string{
		"Øresund Æble":          "deal-1-oresund-aeble",
		"Łódź Đakovo":           "deal-1-lodz-dakovo",
		"Þórsmörk Œuvre øæłđþœ": "deal-1-thorsmork-oeuvre-oaeldthoe",
	} {
		if got := RoomName(1, account); got != want {
			t.Errorf("RoomName(1, %q) = %q, want %q", account, got, want)
		}
	}
}
