package render

import (
	"github.com/slack-go/slack"

	"salesbot/pipeline"
)

// InRequiredPrefix starts the settings form's block ID of a stage's
// required fields: "required_<stage>".
const InRequiredPrefix = "required_"

// RequiredFieldsBlocks are the settings form's required fields, one
// multi-select per stage a deal can be moved into with fields (not lost,
// which needs only its reason), as r has them.
func RequiredFieldsBlocks(r pipeline.ApprovalRules, stages []pipeline.StageDef) []slack.Block {
	values := make([]string, len(pipeline.RequirableFields))
	for i, f := range pipeline.RequirableFields {
		values[i] = string(f)
	}
	label := func(v string) string { return Capitalize(pipeline.DealField(v).Label()) }
	blocks := []slack.Block{slack.NewHeaderBlock(Plain("Required fields per stage"))}
	for _, s := range stages {
		if s.Key == pipeline.StageLost {
			continue
		}
		id := InRequiredPrefix + string(s.Key)
		el := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeStatic, Plain("None"), id, Options(values, label)...)
		for _, f := range r.Required[s.Key] {
			el.InitialOptions = append(el.InitialOptions, slack.NewOptionBlockObject(string(f), Plain(label(string(f))), nil))
		}
		blocks = append(blocks, Field(id, Clip(s.Label, 2000), "A deal moves here only with these filled in.", el, true))
	}
	return blocks
}
