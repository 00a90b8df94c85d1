package pipeline

import (
	"testing"
	"time"
)

func TestValidateEdit(t *testing.T) {
	t.Parallel()
	close := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	d := Deal{Number: 4, AccountName: "Acme", Title: "Acme", Value: Money{1_000_000, "USD"}, ExpectedClose: &close, Source: "referral"}
	same := EditForm{Title: "Acme", Value: "10,000", ExpectedClose: "2026-12-01", Source: "referral"}
	if _, changes, errs := ValidateEdit(d, same); errs != nil || len(changes) != 0 {
		t.Fatalf("unchanged form: changes %v errors %v", changes, errs)
	}
	out, changes, errs := ValidateEdit(d, EditForm{Title: "Acme renewal", Value: "12k", Recurring: true, Source: "referral", ContactEmail: "j@acme.com"})
	if errs != nil {
		t.Fatal(errs)
	}
	want := map[string][2]string{
		"title": {"Acme", "Acme renewal"}, "amount": {"$10,000", "$12,000"}, "recurring": {"one-off", "recurring"},
		"expected_close": {"2026-12-01", ""}, "contact_email": {"", "j@acme.com"},
	}
	if len(changes) != len(want) {
		t.Errorf("changes = %+v", changes)
	}
	for _, c := range changes {
		if w, ok := want[c.Field]; !ok || w != [2]string{c.Old, c.New} {
			t.Errorf("change %+v, want %v", c, w)
		}
	}
	if out.Value.Minor != 1_200_000 || !out.Recurring || out.ExpectedClose != nil {
		t.Errorf("edited deal = %+v", out)
	}
	for name, f := range map[string]EditForm{
		"empty title":  {Title: " "},
		"bad amount":   {Title: "A", Value: "-3"},
		"bad email":    {Title: "A", ContactEmail: "nope"},
		"bad date":     {Title: "A", ExpectedClose: "2026-13-01"},
		"wrong source": {Title: "A", Source: "telepathy"},
	} {
		if _, _, errs := ValidateEdit(d, f); len(errs) != 1 {
			t.Errorf("%s: errors = %v, want one", name, errs)
		}
	}
}
