package render

import (
	"slices"
	"testing"
)

func TestParseDays(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []int
	}{
		{"Mon-Fri", []int{1, 2, 3, 4, 5}},
		{"mon,wed, Friday", []int{1, 3, 5}},
		{"Sun-Thu", []int{0, 1, 2, 3, 4}},
		{"Fri-Mon", []int{0, 1, 5, 6}},
		{"Tue,Tue", []int{2}},
		{"Funday", nil},
		{"", nil},
		{"Mo", nil},
	} {
		got, err := ParseDays(c.in)
		if (err != nil) != (c.want == nil) || !slices.Equal(got, c.want) {
			t.Errorf("ParseDays(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	if got := FormatDays([]int{1, 2, 3, 4, 5}); got != "Mon-Fri" {
		t.Errorf("FormatDays(Mon–Fri) = %q", got)
	}
}

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
