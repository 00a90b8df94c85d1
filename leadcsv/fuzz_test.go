package leadcsv

import (
	"strings"
	"testing"
)

// FuzzRead feeds arbitrary files to Read and Plan: they must never panic,
// every line they report must lie inside the file, and each accepted lead
// must pass validation with a company.
func FuzzRead(f *testing.F) {
	f.Add("company,contact email\nAcme,a@acme.com\n")
	f.Add("Company,Estimated value\n\"Acme\",\"12,5k\"\n")
	f.Fuzz(func(t *testing.T, file string) {
		rows, bad, err := Read(strings.NewReader(file))
		if err != nil {
			return
		}
		lines := strings.Count(file, "\n") + strings.Count(file, "\r") + 1
		for _, r := range rows {
			if r.Line < 2 || r.Line > lines {
				t.Fatalf("row line %d outside a file of %d lines", r.Line, lines)
			}
		}
		for _, b := range bad {
			if b.Line < 1 || b.Line > lines || b.Reason == "" {
				t.Fatalf("rejected line %d (%q) outside a file of %d lines", b.Line, b.Reason, lines)
			}
		}
		ok, dups, rej := Plan(rows, "USD")
		if len(ok)+len(dups)+len(rej) != len(rows) {
			t.Fatalf("Plan lost rows: %d+%d+%d != %d", len(ok), len(dups), len(rej), len(rows))
		}
		for _, v := range ok {
			if strings.TrimSpace(v.Lead.Company) == "" {
				t.Fatalf("accepted a lead without a company: %+v", v)
			}
		}
	})
}
