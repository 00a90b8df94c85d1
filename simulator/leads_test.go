package simulator

import (
	"encoding/json"
	"net/http"
	"os/exec"
	"strings"
	"testing"
)

func getLeadsPanel(t *testing.T, s *Server) leadsPanel {
	t.Helper()
	resp, err := http.Get(s.URL() + "sim/leads")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p leadsPanel
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		t.Fatal(err)
	}
	return p
}

// The panel is off until the API is offered; then the snippet's markup
// escapes whatever the address and key hold, and the curl example quotes
// them for the shell.
func TestLeadsPanelEscapes(t *testing.T) {
	s, err := Start(Options{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if p := getLeadsPanel(t, s); p.Available || p.Snippet != "" || p.Curl != "" {
		t.Fatalf("the panel before OfferAPI: %+v", p)
	}
	s.OfferAPI(`http://127.0.0.1:8090/"><script>alert(1)</script>`, `sb_form_k"&<x>`, `sb_secret_it's`)
	p := getLeadsPanel(t, s)
	if !p.Available || strings.Contains(p.Snippet, "<script>alert") || strings.Contains(p.Snippet, `"><script`) {
		t.Errorf("the snippet lets markup through:\n%s", p.Snippet)
	}
	if !strings.Contains(p.Snippet, `action="http://127.0.0.1:8090/%22%3e%3cscript%3ealert%281%29%3c/script%3e/v1/leads?key=sb_form_k%22%26%3Cx%3E"`) {
		t.Errorf("the snippet's action:\n%s", p.Snippet)
	}
	if !strings.Contains(p.Curl, `-H 'Authorization: Bearer sb_secret_it'\''s'`) {
		t.Errorf("the curl example's key is not quoted for the shell:\n%s", p.Curl)
	}
	// The shell reads the example back into the very values given.
	sh, err := exec.LookPath("sh")
	if err != nil {
		return
	}
	out, err := exec.Command(sh, "-c", "printargs() { for a; do printf '%s\\n' \"$a\"; done; }; "+
		strings.Replace(p.Curl, "curl ", "printargs ", 1)).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "\nAuthorization: Bearer sb_secret_it's\n") ||
		!strings.Contains(string(out), `{"company":"Globex",`) {
		t.Errorf("the shell reads the curl example as:\n%s", out)
	}
}
