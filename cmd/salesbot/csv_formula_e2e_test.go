package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"salesbot/internal/pgtest"
)

// dealTexts is every deal's typed text in team, by number: company, title,
// contact name and industry.
func (h *harness) dealTexts(team string) [][4]string {
	h.t.Helper()
	rows, err := h.svc.db.QueryxContext(h.ctx, `SELECT a.name, d.title, COALESCE(c.name, ''), a.industry
		FROM deals d JOIN accounts a ON a.id = d.account_id LEFT JOIN contacts c ON c.id = d.contact_id
		WHERE d.workspace_id = $1 ORDER BY d.number`, team)
	if err != nil {
		h.t.Fatal(err)
	}
	defer rows.Close()
	var out [][4]string
	for rows.Next() {
		var r [4]string
		if err := rows.Scan(&r[0], &r[1], &r[2], &r[3]); err != nil {
			h.t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		h.t.Fatal(err)
	}
	return out
}

// An exported CSV opened in a spreadsheet runs no formula, and importing it
// gives back exactly what people typed, apostrophes of their own included.
func TestExportNeutralisesFormulasAndImportRestoresThem(t *testing.T) {
	h := setup(t)
	typed := [][4]string{
		{`=HYPERLINK("http://evil.example","login")`, "'=Quoted title", "-Dash", "@Risk"},
		{"'Quoted Co", "+Plus deal", "'-apostrophe dash", "''=two"},
		{"-Dash Co", "Plain deal", "Ann", "Software"},
	}
	for _, d := range typed {
		h.newDeal("U0ADMIN", map[string]string{"Company": d[0], "Deal title": d[1], "Contact name": d[2], "Industry": d[3],
			"Estimated value": "1,250.50", "Owner": "U0ADMIN"})
	}
	if got := h.dealTexts(h.team); !slices.Equal(got, typed) {
		t.Fatalf("deals stored as %q, want %q", got, typed)
	}

	if r := h.command("U0ADMIN", "/pipeline", "export"); !strings.Contains(r.all(), "3 deals exported") {
		t.Fatalf("/pipeline export answered %s", r.all())
	}
	files := h.fake.Files()
	exported := files[len(files)-1].Data
	recs, err := csv.NewReader(bytes.NewReader(exported)).ReadAll()
	if err != nil || len(recs) != 4 {
		t.Fatalf("export: %v %q", err, exported)
	}
	for _, rec := range recs[1:] {
		for i, cell := range rec {
			if cell != "" && strings.ContainsAny(cell[:1], "=+-@\t\r") {
				t.Errorf("%s cell %q would run as a formula", recs[0][i], cell)
			}
		}
	}
	company, title, value := slices.Index(recs[0], "company"), slices.Index(recs[0], "title"), slices.Index(recs[0], "value")
	for _, want := range []struct{ got, want string }{
		{recs[1][company], `'=HYPERLINK("http://evil.example","login")`}, {recs[1][title], "''=Quoted title"},
		{recs[2][company], "'Quoted Co"}, {recs[3][company], "'-Dash Co"}, {recs[1][value], "1250.50"},
	} {
		if want.got != want.want {
			t.Errorf("exported cell %q, want %q", want.got, want.want)
		}
	}

	// The CLI imports the file into a fresh workspace: every value as typed.
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.csv"), filepath.Join(dir, "out.csv")
	if err := os.WriteFile(in, exported, 0o600); err != nil {
		t.Fatal(err)
	}
	fresh := pgtest.TeamID()
	if report := h.runCLI("import", "--team", fresh, "--file", in, "--as", "U0ADMIN"); !strings.Contains(report, "3 imported, 0 duplicates skipped, 0 rejected") {
		t.Fatalf("import report: %s", report)
	}
	if got := h.dealTexts(fresh); !slices.Equal(got, typed) {
		t.Errorf("imported as %q, want %q", got, typed)
	}
	// And exports again to the same file.
	h.runCLI("export", "--team", fresh, "--file", out)
	again, _ := os.ReadFile(out)
	if a, b := withoutColumn(t, exported, "created"), withoutColumn(t, again, "created"); !slices.EqualFunc(a, b, slices.Equal) {
		t.Errorf("round trip changed the file:\n%q\n%q", a, b)
	}
}
