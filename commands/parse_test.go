package commands

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplitRefAndText(t *testing.T) {
	tests := []struct {
		in      string
		n       int64
		rest    string
		wantErr string
	}{
		{"D-42 proposal", 42, "proposal", ""},
		{"d-7   went with a competitor ", 7, "went with a competitor", ""},
		{"42", 42, "", "Add the stage"},
		{"", 0, "", "Which deal?"},
		{"Acme proposal", 0, "", "not a deal number"},
		{"D-0 x", 0, "", "not a deal number"},
	}
	for _, tt := range tests {
		n, rest, err := parseRefAndText(tt.in, "/deal move D-42 <stage>", "stage", 60)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: error %v, want %q", tt.in, err, tt.wantErr)
			}
			var ie inputError
			if !errors.As(err, &ie) {
				t.Errorf("%q: error is not shown to the user as bad input: %T", tt.in, err)
			}
			continue
		}
		if err != nil || n != tt.n || rest != tt.rest {
			t.Errorf("%q = %d %q %v", tt.in, n, tt.rest, err)
		}
	}
	if _, _, err := parseRefAndText("D-1 "+strings.Repeat("x", 61), "u", "stage", 60); err == nil || !strings.Contains(err.Error(), "limit is 60") {
		t.Errorf("over-long text: %v", err)
	}
}

func TestParseWon(t *testing.T) {
	if n, m, err := parseWon("D-3 12.5k", "USD"); err != nil || n != 3 || m == nil || m.Minor != 1_250_000 {
		t.Errorf("with amount: %d %v %v", n, m, err)
	}
	if n, m, err := parseWon("3", "USD"); err != nil || n != 3 || m != nil {
		t.Errorf("without amount: %d %v %v", n, m, err)
	}
	if _, _, err := parseWon("D-3 lots", "USD"); err == nil || !strings.Contains(err.Error(), "such as") {
		t.Errorf("bad amount: %v", err)
	}
}

func TestParseMentionsAndAssign(t *testing.T) {
	if id, ok := parseMention("<@U123ABC|maria>"); !ok || id != "U123ABC" {
		t.Errorf("escaped mention: %q %v", id, ok)
	}
	for _, bad := range []string{"@maria", "<@>", "<#C123|sales>", "<@u123>", "<@U123"} {
		if _, ok := parseMention(bad); ok {
			t.Errorf("%q read as a mention", bad)
		}
	}
	if n, u, err := parseAssign("D-9 <@U42|bo>"); err != nil || n != 9 || u != "U42" {
		t.Errorf("assign: %d %q %v", n, u, err)
	}
	for _, bad := range []string{"D-9", "D-9 bo", "D-9 <@U1> <@U2>", "<@U1> D-9"} {
		if _, _, err := parseAssign(bad); err == nil {
			t.Errorf("assign %q accepted", bad)
		}
	}
}

func TestParseRoleTeamAndScope(t *testing.T) {
	if u, r, err := parseRole([]string{"<@U7A>", "Manager"}); err != nil || u != "U7A" || r != "manager" {
		t.Errorf("role: %q %q %v", u, r, err)
	}
	for _, bad := range [][]string{{"<@U7A>"}, {"<@U7A>", "boss"}, {"maria", "rep"}, {"<@U7A>", "rep", "x"}} {
		if _, _, err := parseRole(bad); err == nil {
			t.Errorf("role %q accepted", bad)
		}
	}
	if m, reps, err := parseTeam([]string{"<@U1A>", "<@U2A>", "<@U3A|x>"}); err != nil || m != "U1A" || len(reps) != 2 {
		t.Errorf("team: %q %v %v", m, reps, err)
	}
	for _, bad := range [][]string{{"<@U1>"}, {"<@U1>", "<@U1>"}, {"<@U1>", "bob"}} {
		if _, _, err := parseTeam(bad); err == nil {
			t.Errorf("team %q accepted", bad)
		}
	}
	for in, want := range map[string]listScope{"": {}, "mine": {}, "ALL": {all: true}, "<@U5A>": {user: "U5A"}} {
		if got, err := parseListScope(strings.Fields(in)); err != nil || got != want {
			t.Errorf("scope %q = %+v %v", in, got, err)
		}
	}
	if _, err := parseListScope([]string{"everyone"}); err == nil {
		t.Error("scope everyone accepted")
	}
}

// The fuzz targets hold every parser to the same promise: any input gives a
// result or an inputError, never a panic or another kind of error.
func checkParseErr(t *testing.T, err error) {
	t.Helper()
	var ie inputError
	if err != nil && !errors.As(err, &ie) {
		t.Fatalf("error of the wrong kind: %T %v", err, err)
	}
}

func FuzzParseRefAndText(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		n, rest, err := parseRefAndText(s, "u", "text", 100)
		checkParseErr(t, err)
		if err == nil && (n <= 0 || rest == "" || utf8.RuneCountInString(rest) > 100) {
			t.Fatalf("%q accepted as %d %q", s, n, rest)
		}
	})
}

func FuzzParseWon(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		n, m, err := parseWon(s, "USD")
		checkParseErr(t, err)
		if err == nil && (n <= 0 || (m != nil && m.Minor < 0)) {
			t.Fatalf("%q accepted as %d %v", s, n, m)
		}
	})
}

func FuzzParseAssign(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		n, u, err := parseAssign(s)
		checkParseErr(t, err)
		if err == nil && (n <= 0 || u == "") {
			t.Fatalf("%q accepted as %d %q", s, n, u)
		}
	})
}

func FuzzParseAdminArgs(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		args := strings.Fields(s)
		_, _, err := parseRole(args)
		checkParseErr(t, err)
		_, _, err = parseTeam(args)
		checkParseErr(t, err)
		_, err = parseListScope(args)
		checkParseErr(t, err)
	})
}
