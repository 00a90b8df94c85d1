package render

import (
	"testing"
)

func TestParseSnooze(t *testing.T) {
	for in, want := range map[string]int{"30m": 30, "4h": 240, "1d": 1440, "2": 120, "14d": 20160,
		"15d": 0, "0": 0, "-1h": 0, "3 weeks": 0, "": 0, "1m": 0} {
		got, err := ParseSnooze(in)
		if (err != nil) != (want == 0) || got != want {
			t.Errorf("ParseSnooze(%q) = %d, %v; want %d", in, got, err, want)
		}
		if want > 0 {
			if back, _ := ParseSnooze(FormatSnooze(want)); back != want {
				t.Errorf("FormatSnooze(%d) = %q does not read back", want, FormatSnooze(want))
			}
		}
	}
}
