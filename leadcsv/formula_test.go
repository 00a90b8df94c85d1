package leadcsv

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"salesbot/pipeline"
)

// Cells a spreadsheet would run get an apostrophe; restore takes exactly
// that apostrophe off again, whatever the value started with.
func TestNeutraliseAndRestore(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ value, cell string }{
		{"=HYPERLINK(\"http://evil.example\",\"login\")", "'=HYPERLINK(\"http://evil.example\",\"login\")"},
		{"+1 555 0100", "'+1 555 0100"},
		{"-Dash Co", "'-Dash Co"},
		{"@SUM(A1:A9)", "'@SUM(A1:A9)"},
		{"\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1"},
		{"'=Quoted", "''=Quoted"}, // an apostrophe of its own survives
		{"''-twice", "'''-twice"}, // and so do several
		{"'Quoted", "'Quoted"},    // not a formula: left alone
		{"'", "'"},                // a lone apostrophe too
		{"Acme = best", "Acme = best"},
		{"", ""},
	} {
		if got := neutralise(tt.value); got != tt.cell {
			t.Errorf("neutralise(%q) = %q, want %q", tt.value, got, tt.cell)
		}
		if got := restore(tt.cell); got != tt.value {
			t.Errorf("restore(%q) = %q, want %q", tt.cell, got, tt.value)
		}
	}
}

// Whatever a value is, its cell never starts with a formula character and
// restores to the value.
func FuzzNeutralise(f *testing.F) {
	for _, s := range []string{"=1", "'=1", "''", "'x", "-", "@", "\t", "plain"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		cell := neutralise(v)
		if cell != "" && strings.ContainsRune(formulaStarts, rune(cell[0])) {
			t.Fatalf("neutralise(%q) = %q starts with a formula character", v, cell)
		}
		if got := restore(cell); got != v {
			t.Fatalf("restore(neutralise(%q)) = %q", v, got)
		}
	})
}

// The export's cells are safe to open in a spreadsheet, amounts stay
// numbers (the bot writes them, never negative), and Read gives back every
// value exactly.
func TestExportNeutralisesFormulasAndReadRestoresThem(t *testing.T) {
	t.Parallel()
	values := []string{"=cmd|' /C calc'!A0", "+Plus Ltd", "-Dash Co", "@Risk", "'=Quoted", "'Quoted", "Plain"}
	var deals []ExportDeal
	for i, v := range values {
		deals = append(deals, ExportDeal{Deal: pipeline.Deal{Number: int64(i + 1), AccountName: v, Title: v + " deal",
			ContactName: v, OwnerID: "U0ANN", Stage: pipeline.StageLead, CreatedAt: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC),
			Value: pipeline.Money{Minor: 1250, Currency: "USD"}}, Industry: v})
	}
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, d := range deals {
		if err := w.Write(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs[1:] {
		for i, cell := range rec {
			if ExportColumns[i] == "value" {
				if cell != "12.50" {
					t.Errorf("amount cell = %q, want the number 12.50", cell)
				}
				continue
			}
			if cell != "" && strings.ContainsRune(formulaStarts, rune(cell[0])) {
				t.Errorf("%s cell %q would run as a formula", ExportColumns[i], cell)
			}
		}
	}
	if got := recs[3][1]; got != "'-Dash Co" {
		t.Errorf("company cell = %q, want '-Dash Co", got)
	}
	rows, bad, err := Read(bytes.NewReader(buf.Bytes()))
	if err != nil || len(bad) > 0 {
		t.Fatalf("Read: %v %+v", err, bad)
	}
	for i, r := range rows {
		v := values[i]
		if r.Form.Company != v || r.Form.Title != v+" deal" || r.Form.ContactName != v || r.Form.Industry != v {
			t.Errorf("%q came back as %+v", v, r.Form)
		}
	}
}
