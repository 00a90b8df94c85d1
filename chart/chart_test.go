package chart

import (
	"bytes"
	"image/png"
	"testing"
)

func TestChartsArePNGs(t *testing.T) {
	t.Parallel()
	funnel, err := Funnel("Pipeline", "USD", []Bar{{"Lead", 1200}, {"Qualified", 800}, {"Negotiation", 0}})
	if err != nil {
		t.Fatal(err)
	}
	grouped, err := Grouped("Forecast", "USD", []string{"Month", "Quarter"}, "Weighted", []float64{10, 20}, "Closed", []float64{5, 7})
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"funnel": funnel, "grouped": grouped} {
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: not a PNG: %v", name, err)
		}
		if img.Bounds().Dx() < 300 {
			t.Errorf("%s: %d px wide, want a readable chart", name, img.Bounds().Dx())
		}
	}
	if _, err := Funnel("Pipeline", "USD", nil); err == nil {
		t.Error("a funnel with no stages drew something")
	}
	if _, err := Grouped("F", "USD", []string{"a"}, "x", []float64{1, 2}, "y", []float64{1}); err == nil {
		t.Error("mismatched grouped chart drew something")
	}
}

func TestGrouped(t *testing.T) {
	t.Parallel()
	for v, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 75000: "75,000", 1234567: "1,234,567", -2500: "-2,500"} {
		if got := grouped(v); got != want {
			t.Errorf("grouped(%d) = %q, want %q", v, got, want)
		}
	}
}
