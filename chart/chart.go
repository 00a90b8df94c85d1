// Package chart draws the PNG charts salesbot shares in Slack: the pipeline
// funnel and the forecast against what is already won. Every chart has a
// text twin in the message, so a chart that cannot be drawn or uploaded
// loses nothing.
package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Bar is one labelled value of a chart, in major units (dollars, not cents):
// charts are pictures, so float rounding does not matter here.
type Bar struct {
	Label string
	Value float64
}

var (
	blue  = color.RGBA{R: 0x1d, G: 0x9b, B: 0xd1, A: 0xff}
	green = color.RGBA{R: 0x2e, G: 0xb6, B: 0x7d, A: 0xff}
)

// Funnel draws horizontal bars, top to bottom in the given order (the
// pipeline's stages, first stage on top).
func Funnel(title, unit string, bars []Bar) ([]byte, error) {
	if len(bars) == 0 {
		return nil, errors.New("chart: funnel: no stages")
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = unit
	p.X.Min = 0
	p.X.Tick.Marker = amountTicks{}
	// gonum draws the first value at the bottom; reverse so the first stage is on top.
	vals := make(plotter.Values, len(bars))
	names := make([]string, len(bars))
	for i, b := range bars {
		vals[len(bars)-1-i] = b.Value
		names[len(bars)-1-i] = b.Label
	}
	bc, err := plotter.NewBarChart(vals, vg.Points(22))
	if err != nil {
		return nil, fmt.Errorf("chart: funnel: %w", err)
	}
	bc.Horizontal = true
	bc.Color = blue
	bc.LineStyle.Width = 0
	p.Add(bc)
	p.NominalY(names...)
	return render(p, 7*vg.Inch, vg.Length(1.2+0.45*float64(len(bars)))*vg.Inch)
}

// Grouped draws, for each label, two bars side by side: a and b (for
// example the forecast and what is already closed), with a legend.
func Grouped(title, unit string, labels []string, aName string, a []float64, bName string, b []float64) ([]byte, error) {
	if len(labels) == 0 || len(a) != len(labels) || len(b) != len(labels) {
		return nil, errors.New("chart: grouped: labels and values differ in length")
	}
	p := plot.New()
	p.Title.Text = title
	p.Y.Label.Text = unit
	p.Y.Min = 0
	p.Y.Tick.Marker = amountTicks{}
	w := vg.Points(40)
	ba, err := plotter.NewBarChart(plotter.Values(a), w)
	if err != nil {
		return nil, fmt.Errorf("chart: grouped: %w", err)
	}
	bb, err := plotter.NewBarChart(plotter.Values(b), w)
	if err != nil {
		return nil, fmt.Errorf("chart: grouped: %w", err)
	}
	ba.Color, bb.Color = blue, green
	ba.LineStyle.Width, bb.LineStyle.Width = 0, 0
	ba.Offset, bb.Offset = -w/2, w/2
	p.Add(ba, bb)
	p.Legend.Add(aName, ba)
	p.Legend.Add(bName, bb)
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs = vg.Points(10)
	p.NominalX(labels...)
	// Room around the outer bars, and above the tallest for the legend.
	p.X.Min, p.X.Max = -0.6, float64(len(labels))-0.4
	top := 0.0
	for i := range a {
		top = max(top, a[i], b[i])
	}
	if top > 0 {
		p.Y.Max = top * 1.25
	}
	return render(p, 7*vg.Inch, 4*vg.Inch)
}

func render(p *plot.Plot, w, h vg.Length) ([]byte, error) {
	c := vgimg.PngCanvas{Canvas: vgimg.New(w, h)}
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: encode png: %w", err)
	}
	return buf.Bytes(), nil
}

// amountTicks labels an amount axis with whole numbers grouped by
// thousands ("75,000"), as the messages write amounts.
type amountTicks struct{}

func (amountTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = grouped(int64(math.Round(ts[i].Value)))
		}
	}
	return ts
}

func grouped(v int64) string {
	s := strconv.FormatInt(v, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}
