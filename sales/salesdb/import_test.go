package salesdb_test

import (
	"errors"
	"strings"
	"testing"

	"salesbot/sales"
)

// An import stores its good rows with their offers (a routed lead, a lead
// handed to the owner the file names), reports each bad row by its line
// and stores none of them; an importer who is not a Slack user is refused
// before anything is read.
func TestImportLeadsStoresGoodRowsAndReportsBadOnes(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	svc, r := e.recording(directory{})
	csv := "company,contact email,industry,owner\n" +
		"Acme,ann@acme.example,Software,\n" + // line 2: routed by the rule
		",nobody@nowhere.example,Retail,\n" + // line 3: no company
		"Beta,bo@beta.example,Retail,U0REP1\n" + // line 4: the file names the owner
		"Gamma,not-an-email,Retail,\n" // line 5: bad email

	_, err := svc.ImportLeads(t.Context(), e.team, "bob", strings.NewReader(csv))
	var v *sales.ValidationError
	if !errors.As(err, &v) || v.Field != "importer" {
		t.Errorf("importer bob: err = %v, want a validation error on importer", err)
	}
	if n := e.deals(t); n != 0 {
		t.Fatalf("deals after a refused import = %d, want 0", n)
	}

	res, err := svc.ImportLeads(t.Context(), e.team, "U0ADMIN", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	rep := res.Report
	if len(rep.Created) != 2 || rep.Created[0].Line != 2 || rep.Created[1].Line != 4 {
		t.Errorf("created %+v, want lines 2 and 4", rep.Created)
	}
	if len(rep.Rejected) != 2 || rep.Rejected[0].Line != 3 || rep.Rejected[1].Line != 5 ||
		rep.Rejected[0].Reason == "" || rep.Rejected[1].Reason == "" {
		t.Errorf("rejected %+v, want lines 3 and 5 with their reasons", rep.Rejected)
	}
	if n := e.count(t, `SELECT count(*) FROM deals d JOIN accounts a ON a.id = d.account_id
		WHERE d.workspace_id = $1 AND ((a.name = 'Acme' AND d.owner_id = 'U0REP2' AND d.routed)
		                            OR (a.name = 'Beta' AND d.owner_id = 'U0REP1' AND NOT d.routed))`, e.team); n != 2 || e.deals(t) != 2 {
		t.Errorf("deals: want Acme routed to U0REP2 and Beta with U0REP1, and nothing else (%d deals)", e.deals(t))
	}
	got := r.all()
	if len(got) != 2 {
		t.Fatalf("notices = %#v, want the two offers", got)
	}
	if o, ok := got[0].(sales.LeadRouted); !ok || o.Deal.OwnerID != "U0REP2" || o.Deal.AccountName != "Acme" {
		t.Errorf("first notice = %#v, want Acme offered to U0REP2", got[0])
	}
	if o, ok := got[1].(sales.LeadHandedOver); !ok || o.Deal.OwnerID != "U0REP1" || o.From != "U0ADMIN" || o.Deal.AccountName != "Beta" {
		t.Errorf("second notice = %#v, want Beta handed to U0REP1 by U0ADMIN", got[1])
	}
}
