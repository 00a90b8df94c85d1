package leadcsv

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"salesbot/pipeline"
)

func TestReadHeader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, wantErr string
	}{
		{"empty file", "", "missing"},
		{"unknown column", "company,budget\nAcme,1\n", `"budget"`},
		{"two company columns", "Company,account\nA,B\n", "two columns"},
		{"no company column", "title,value\nx,1\n", "no company column"},
		{"labels of the form", "Company,Deal title,Contact name,Contact email,Industry,Company size,Source,Estimated value,Expected close date,Owner,Notes\nAcme,,,,,,,,,,\n", ""},
		{"spaces, case, underscores, BOM", "\ufeff COMPANY ,contact_email, Expected-Close \nAcme,a@acme.com,2027-01-31\n", ""},
		{"export extras are ignored", "number,company,stage,created,closed,currency\nD-1,Acme,won,,,USD\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Read(strings.NewReader(tt.file))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Read: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, ErrHeader) {
				t.Fatalf("Read error = %v, want one about %s", err, tt.wantErr)
			}
		})
	}
}

func TestReadRows(t *testing.T) {
	t.Parallel()
	file := "company,contact email,source,owner,value\n" +
		"Acme,ann@acme.com,Cold call,<@U0ANN|ann>,12.5k\n" +
		"\n" + // blank lines are skipped
		"Short,x@y.com\n" +
		`Bad "quote,,,,` + "\n" +
		`"Multi` + "\n" + `line",,,,` + "\n" +
		" Globex , , inbound ,U0BOB, \n"
	rows, bad, err := Read(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("rows = %+v, want 3", rows)
	}
	want := pipeline.LeadForm{Company: "Acme", ContactEmail: "ann@acme.com", Source: "cold call", OwnerID: "U0ANN", Value: "12.5k"}
	if rows[0].Line != 2 || rows[0].Form != want {
		t.Errorf("row 1 = %+v, want line 2 %+v", rows[0], want)
	}
	if rows[1].Line != 6 || rows[1].Form.Company != "Multi\nline" {
		t.Errorf("multi-line row = %+v, want line 6", rows[1])
	}
	if rows[2].Line != 8 || rows[2].Form.Company != "Globex" || rows[2].Form.Source != "inbound" || rows[2].Form.OwnerID != "U0BOB" {
		t.Errorf("row 3 = %+v", rows[2])
	}
	if len(bad) != 2 || bad[0].Line != 4 || !strings.Contains(bad[0].Reason, "2 fields but the header has 5") ||
		bad[1].Line != 5 || !strings.Contains(bad[1].Reason, "quote") {
		t.Errorf("rejected = %+v, want lines 4 (field count) and 5 (quote)", bad)
	}
}

func TestPlan(t *testing.T) {
	t.Parallel()
	rows := []Row{
		{Line: 2, Form: pipeline.LeadForm{Company: "Acme", ContactEmail: "Ann@Acme.com", Value: "1,200.50"}},
		{Line: 3, Form: pipeline.LeadForm{Company: "ACME ", ContactEmail: "ann@acme.com"}},
		{Line: 4, Form: pipeline.LeadForm{Company: "Acme", ContactEmail: "bob@acme.com"}},
		{Line: 5, Form: pipeline.LeadForm{Company: "", Value: "-3"}},
		{Line: 6, Form: pipeline.LeadForm{Company: "Initech", OwnerID: "bob@initech.com"}},
		{Line: 7, Form: pipeline.LeadForm{Company: "Euro"}, Currency: "EUR"},
		{Line: 8, Form: pipeline.LeadForm{Company: "Dates", ExpectedClose: "31/01/2027"}},
	}
	ok, dups, bad := Plan(rows, "USD")
	if len(ok) != 2 || ok[0].Line != 2 || ok[0].Lead.Value.Minor != 120050 || ok[1].Line != 4 {
		t.Errorf("valid = %+v, want lines 2 and 4", ok)
	}
	if len(dups) != 1 || dups[0].Line != 3 || !strings.Contains(dups[0].Reason, "line 2") {
		t.Errorf("duplicates = %+v, want line 3 as a repeat of line 2", dups)
	}
	wantBad := map[int]string{5: "company: Enter the company name.", 6: "owner: Give the owner's Slack user ID", 7: "in EUR", 8: "expected close"}
	if len(bad) != len(wantBad) {
		t.Fatalf("rejected = %+v", bad)
	}
	for _, b := range bad {
		if !strings.Contains(b.Reason, wantBad[b.Line]) {
			t.Errorf("line %d reason %q, want it to say %q", b.Line, b.Reason, wantBad[b.Line])
		}
	}
	if !strings.Contains(bad[0].Reason, "value:") {
		t.Errorf("line 5 should name the value too: %q", bad[0].Reason)
	}
}

// TestExportReadsBack checks that what Writer writes, Read and Plan take back
// as the same leads.
func TestExportReadsBack(t *testing.T) {
	t.Parallel()
	close := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	deals := []ExportDeal{
		{Deal: pipeline.Deal{Number: 7, AccountName: `Acme, "the" Inc.`, Title: "Big\nrollout", ContactName: "Ann",
			ContactEmail: "ann@acme.com", Source: "referral", Value: pipeline.Money{Minor: 1250050, Currency: "USD"},
			ExpectedClose: &close, OwnerID: "U0ANN", Stage: pipeline.StageProposal, CreatedAt: close},
			Industry: "Software", CompanySize: "51-200"},
		{Deal: pipeline.Deal{Number: 8, AccountName: "Globex", Title: "Globex", Value: pipeline.Money{Currency: "USD"}, OwnerID: "U0BOB", Stage: pipeline.StageWon, ClosedAt: &close}},
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
	rows, bad, err := Read(&buf)
	if err != nil || len(bad) > 0 {
		t.Fatalf("Read: %v %+v", err, bad)
	}
	ok, dups, rej := Plan(rows, "USD")
	if len(ok) != 2 || len(dups)+len(rej) > 0 {
		t.Fatalf("Plan: %+v %+v %+v", ok, dups, rej)
	}
	for i, v := range ok {
		d := deals[i]
		got := v.Lead
		if got.Company != d.AccountName || got.Title != d.Title || got.ContactEmail != d.ContactEmail ||
			got.Value != d.Value || got.OwnerID != d.OwnerID || got.Industry != d.Industry || got.CompanySize != d.CompanySize ||
			got.Source != d.Source || (d.ExpectedClose != nil) != (got.ExpectedClose != nil) {
			t.Errorf("deal %d came back as %+v", d.Number, got)
		}
	}
}

func TestAmount(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		m    pipeline.Money
		want string
	}{
		{pipeline.Money{Minor: 0, Currency: "USD"}, ""},
		{pipeline.Money{Minor: 5, Currency: "USD"}, "0.05"},
		{pipeline.Money{Minor: 1250050, Currency: "USD"}, "12500.50"},
		{pipeline.Money{Minor: 1200, Currency: "JPY"}, "1200"},
	} {
		if got := Amount(tt.m); got != tt.want {
			t.Errorf("Amount(%v) = %q, want %q", tt.m, got, tt.want)
		}
	}
}
