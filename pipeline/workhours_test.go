package pipeline

import (
	"testing"
	"time"
)

func TestWorkingMinutes(t *testing.T) {
	t.Parallel()
	berlin, _ := time.LoadLocation("Europe/Berlin")
	weekdays := []int{1, 2, 3, 4, 5}
	at := func(day, hour, min int) time.Time { return time.Date(2026, 11, day, hour, min, 0, 0, berlin) } // Nov 23 2026 is a Monday
	tests := []struct {
		name     string
		from, to time.Time
		days     []int
		want     int
	}{
		{"inside one day", at(23, 10, 0), at(23, 14, 30), weekdays, 270},
		{"before and after hours", at(23, 7, 0), at(23, 20, 0), weekdays, 480},
		{"evening to next morning", at(23, 16, 0), at(24, 12, 0), weekdays, 60 + 180},
		{"over the weekend", at(27, 15, 0), at(30, 11, 0), weekdays, 120 + 120},
		{"weekend only", at(28, 9, 0), at(29, 17, 0), weekdays, 0},
		{"every day counts", at(28, 9, 0), at(29, 17, 0), []int{0, 1, 2, 3, 4, 5, 6}, 960},
		{"backwards", at(24, 10, 0), at(23, 10, 0), weekdays, 0},
	}
	for _, tt := range tests {
		if got := WorkingMinutes(tt.from, tt.to, berlin, tt.days); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
}
