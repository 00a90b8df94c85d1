package render

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
)

// cardButtons are the labels of a card's buttons.
func cardButtons(c Card) []string {
	var out []string
	for _, b := range DealCard(c) {
		if a, ok := b.(*slack.ActionBlock); ok {
			for _, e := range a.Elements.ElementSet {
				if btn, ok := e.(*slack.ButtonBlockElement); ok {
					out = append(out, btn.Text.Text)
				}
			}
		}
	}
	return out
}

// Request approval is on the card while approvals are on and the deal is
// open, but not while a request waits for its approvers or stands approved.
func TestRequestApprovalButtonOnTheCard(t *testing.T) {
	d := pipeline.Deal{Number: 42, AccountName: "Acme", Stage: pipeline.StageProposal, Value: pipeline.Money{Minor: 1_250_000, Currency: "USD"}}
	won := d
	won.Stage = pipeline.StageWon
	pending := &pipeline.Approval{State: pipeline.ApprovalPending, Approvers: []string{"U0MGR"}}
	rejected := &pipeline.Approval{State: pipeline.ApprovalRejected, DecidedBy: "U0MGR"}
	approved := &pipeline.Approval{State: pipeline.ApprovalApproved, DecidedBy: "U0MGR"}
	voided := &pipeline.Approval{State: pipeline.ApprovalInvalidated, DecidedBy: "U0MGR"}
	for _, c := range []struct {
		name string
		card Card
		want bool
	}{
		{"approvals off", Card{Deal: d, Buttons: true}, false},
		{"approvals on", Card{Deal: d, Buttons: true, ApprovalsOn: true}, true},
		{"after a rejection", Card{Deal: d, Buttons: true, ApprovalsOn: true, Approval: rejected}, true},
		{"while one waits", Card{Deal: d, Buttons: true, ApprovalsOn: true, Approval: pending}, false},
		{"while approved", Card{Deal: d, Buttons: true, ApprovalsOn: true, Approval: approved}, false},
		{"after the approval was voided", Card{Deal: d, Buttons: true, ApprovalsOn: true, Approval: voided}, true},
		{"closed", Card{Deal: won, Buttons: true, ApprovalsOn: true}, false},
		{"a card without buttons", Card{Deal: d, ApprovalsOn: true}, false},
	} {
		got := strings.Contains(strings.Join(cardButtons(c.card), ","), "Request approval")
		if got != c.want {
			t.Errorf("%s: Request approval shown = %v, want %v (%v)", c.name, got, c.want, cardButtons(c.card))
		}
	}
}

// The form starts from the deal's discount, names the deal (escaped) and
// says what needs approval.
func TestRequestApprovalModal(t *testing.T) {
	d := pipeline.Deal{Number: 42, AccountName: "Acme <&> Co", Title: "Renewal", Value: pipeline.Money{Minor: 1_250_000, Currency: "USD"}, DiscountBps: 1250}
	v := RequestApprovalModal(d, 1000, `{"n":42}`)
	b, _ := json.Marshal(v)
	s := string(b)
	for _, want := range []string{`"initial_value":"12.5"`, "D-42 · Acme \\u0026lt;\\u0026amp;\\u0026gt; Co — Renewal",
		"Off the amount of $12,500. A discount above 10% needs approval", `"private_metadata":"{\"n\":42}"`} {
		if !strings.Contains(s, want) {
			t.Errorf("modal lacks %s:\n%s", want, s)
		}
	}
	if got := DiscountNeedsNoApproval(500, 1000); got != "A 5% discount needs no approval here (only above 10%): set it with Edit." {
		t.Errorf("DiscountNeedsNoApproval = %q", got)
	}
}
