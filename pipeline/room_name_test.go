package pipeline

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRoomName(t *testing.T) {
	long := strings.Repeat("word ", 30) // 150 characters of five-letter words
	for _, tc := range []struct {
		n       int64
		account string
		want    string
	}{
		{42, "Acme", "deal-42-acme"},
		{42, "Acme Corp.", "deal-42-acme-corp"},
		{7, "  ACME -- Widgets, Inc!  ", "deal-7-acme-widgets-inc"},
		{3, "Müller & Söhne GmbH", "deal-3-muller-sohne-gmbh"},
		{3, "Straße 9", "deal-3-strasse-9"},
		{5, "東京 Trading", "deal-5-trading"},
		{5, "東京商事", "deal-5"},
		{5, "", "deal-5"},
		{6, "under_score and-dash", "deal-6-under-score-and-dash"},
		{9, "Ελλάδα Shipping Co", "deal-9-shipping-co"},
		// 80 characters at most, cut after the last whole word.
		{12, long, "deal-12-" + strings.TrimSuffix(strings.Repeat("word-", 14), "-")},
		// One word longer than the room left is cut hard.
		{12, strings.Repeat("x", 100), "deal-12-" + strings.Repeat("x", 72)},
	} {
		got := RoomName(tc.n, tc.account)
		if got != tc.want {
			t.Errorf("RoomName(%d, %q) = %q, want %q", tc.n, tc.account, got, tc.want)
		}
		if !validChannelName(got) {
			t.Errorf("RoomName(%d, %q) = %q breaks Slack's rules", tc.n, tc.account, got)
		}
	}
}

func TestRoomNameTry(t *testing.T) {
	base := RoomName(123, strings.Repeat("abcdefgh ", 10)) // 80 characters
	if len(base) != MaxChannelName {
		t.Fatalf("the test's name %q is not at the limit", base)
	}
	for _, tc := range []struct {
		name    string
		attempt int
		want    string
	}{
		{"deal-42-acme", 1, "deal-42-acme"},
		{"deal-42-acme", 2, "deal-42-acme-2"},
		{"deal-42-acme", 13, "deal-42-acme-13"},
		// At the limit, the last word makes room for the suffix.
		{base, 2, "deal-123-" + strings.TrimSuffix(strings.Repeat("abcdefgh-", 7), "-") + "-2"},
		{"deal-12-" + strings.Repeat("x", 72), 10, "deal-12-" + strings.Repeat("x", 69) + "-10"},
	} {
		got := RoomNameTry(tc.name, tc.attempt)
		if got != tc.want {
			t.Errorf("RoomNameTry(%q, %d) = %q, want %q", tc.name, tc.attempt, got, tc.want)
		}
		if !validChannelName(got) {
			t.Errorf("RoomNameTry(%q, %d) = %q breaks Slack's rules", tc.name, tc.attempt, got)
		}
	}
}

// validChannelName is Slack's rule, written out independently of the code
// under test.
func validChannelName(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > MaxChannelName {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
