package pipeline

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestMessageTime(t *testing.T) {
	cases := []struct {
		ts   string
		want time.Time
		ok   bool
	}{
		{"1772445600.000100", time.Date(2026, 3, 2, 10, 0, 0, 100_000, time.UTC), true},
		{"1772445600", time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), true},
		{"1772445600.5", time.Date(2026, 3, 2, 10, 0, 0, 500_000_000, time.UTC), true},
		{"", time.Time{}, false},
		{"-5.1", time.Time{}, false},
		{"12.x", time.Time{}, false},
	}
	for _, c := range cases {
		got, ok := MessageTime(c.ts)
		if ok != c.ok || !got.Equal(c.want) {
			t.Errorf("MessageTime(%q) = %v, %v; want %v, %v", c.ts, got, ok, c.want, c.ok)
		}
	}
}

func TestCutActivity(t *testing.T) {
	if got := CutActivity("  short  "); got != "short" {
		t.Errorf("short = %q", got)
	}
	long := strings.Repeat("é", MaxNotesLen+10)
	got := CutActivity(long)
	if n := utf8.RuneCountInString(got); n != MaxNotesLen || !strings.HasSuffix(got, "…") {
		t.Errorf("cut to %d characters, ends %q", n, got[len(got)-3:])
	}
	exact := strings.Repeat("a", MaxNotesLen)
	if CutActivity(exact) != exact {
		t.Error("a text at the limit was cut")
	}
}
