package render

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
)

// The settings form has one multi-select of fields per stage but lost,
// opened with the fields the stage requires.
func TestRequiredFieldsBlocks(t *testing.T) {
	r := pipeline.ApprovalRules{Required: map[pipeline.Stage][]pipeline.DealField{pipeline.StageProposal: {pipeline.FieldCloseDate, pipeline.FieldAmount}}}
	stages := pipeline.DefaultStages()
	inputs := map[string]*slack.MultiSelectBlockElement{}
	for _, b := range RequiredFieldsBlocks(r, stages) {
		if in, ok := b.(*slack.InputBlock); ok {
			inputs[in.BlockID] = in.Element.(*slack.MultiSelectBlockElement)
		}
	}
	if len(inputs) != len(stages)-1 || inputs["required_lost"] != nil {
		t.Errorf("inputs %v: want one per stage but lost", len(inputs))
	}
	p := inputs["required_proposal"]
	if p == nil || len(p.Options) != len(pipeline.RequirableFields) {
		t.Fatalf("proposal's input: %+v", p)
	}
	var initial []string
	for _, o := range p.InitialOptions {
		initial = append(initial, o.Value+"="+o.Text.Text)
	}
	if got := strings.Join(initial, ","); got != "expected_close=Expected close date,amount=Amount" {
		t.Errorf("proposal opens with %s", got)
	}
	if q := inputs["required_qualified"]; q == nil || len(q.InitialOptions) != 0 {
		t.Errorf("qualified opens with %+v, want nothing", q)
	}
}
