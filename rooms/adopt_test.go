package rooms

import (
	"strings"
	"testing"

	"salesbot/pipeline"
)

// A channel under a room's recorded name is adopted only when the bot made
// it and it is not archived.
func TestAdoptable(t *testing.T) {
	const bot = "U0BOT"
	for _, tc := range []struct {
		what     string
		found    bool
		creator  string
		archived bool
		bot      string
		want     bool
	}{
		{"made by the bot", true, bot, false, bot, true},
		{"made by a person", true, "U0DWIGHT", false, bot, false},
		{"made by the bot, archived", true, bot, true, bot, false},
		{"not found", false, "", false, bot, false},
		{"the bot's ID unknown", true, "", false, "", false},
	} {
		if got := adoptable(tc.found, tc.creator, tc.archived, tc.bot); got != tc.want {
			t.Errorf("%s: adoptable = %v, want %v", tc.what, got, tc.want)
		}
	}
}

// A retry starts from the name an earlier attempt recorded, not from a
// name before it, which was taken.
func TestFirstTry(t *testing.T) {
	long := "deal-42-" + strings.Repeat("word-", 14) + "a" // 79 characters: a try is cut to fit its suffix
	for _, tc := range []struct {
		name, recorded string
		want           int
	}{
		{"deal-42-acme", "", 1},
		{"deal-42-acme", "deal-42-acme", 1},
		{"deal-42-acme", "deal-42-acme-3", 3},
		{long, pipeline.RoomNameTry(long, 2), 2},
		{long, long + "-2", 1},                   // not a name this room tries
		{"deal-42-acme", "deal-42-initech-2", 1}, // the account renamed since
	} {
		if got := firstTry(tc.name, tc.recorded); got != tc.want {
			t.Errorf("firstTry(%q, %q) = %d, want %d", tc.name, tc.recorded, got, tc.want)
		}
	}
}
