package commands

import (
	"encoding/json"
	"strings"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
)

// leadModal is the New lead form. Labels are part of the product contract;
// block and action IDs are the pipeline's field names, so errors returned by
// validation land under the right input.
func leadModal(company string, meta leadMeta) slack.ModalViewRequest {
	md, _ := json.Marshal(meta)
	companyIn := textInput(pipeline.FieldCompany, "Acme Inc.", pipeline.MaxNameLen, false)
	companyIn.InitialValue = company
	blocks := []slack.Block{
		input(pipeline.FieldCompany, "Company", "", companyIn, false),
		input(pipeline.FieldTitle, "Deal title", "Defaults to the company name.", textInput(pipeline.FieldTitle, "Website redesign", pipeline.MaxNameLen, false), true),
		input(pipeline.FieldContactName, "Contact name", "", textInput(pipeline.FieldContactName, "Jane Doe", pipeline.MaxNameLen, false), true),
		input(pipeline.FieldContactEmail, "Contact email", "", slack.NewEmailTextInputBlockElement(render.Plain("jane@acme.com"), string(pipeline.FieldContactEmail)), true),
		input(pipeline.FieldIndustry, "Industry", "", textInput(pipeline.FieldIndustry, "Software", pipeline.MaxShortLen, false), true),
		input(pipeline.FieldCompanySize, "Company size", "Employees.", staticSelect(pipeline.FieldCompanySize, "Choose a size", pipeline.CompanySizes), true),
		input(pipeline.FieldSource, "Source", "", staticSelect(pipeline.FieldSource, "Where the lead came from", pipeline.LeadSources), true),
		input(pipeline.FieldValue, "Estimated value", "In "+meta.Currency+", e.g. 12500, 12,500.50 or 12.5k.", textInput(pipeline.FieldValue, "12500", 40, false), true),
		input(pipeline.FieldExpectedClose, "Expected close date", "", slack.NewDatePickerBlockElement(string(pipeline.FieldExpectedClose)), true),
		input(pipeline.FieldOwner, "Owner", "Leave empty to route the lead automatically.", slack.NewOptionsSelectBlockElement(slack.OptTypeUser, render.Plain("Choose a rep"), string(pipeline.FieldOwner)), true),
		input(pipeline.FieldNotes, "Notes", "", textInput(pipeline.FieldNotes, "What do we know so far?", pipeline.MaxNotesLen, true), true),
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      leadNewCallback,
		Title:           render.Plain("New lead"),
		Submit:          render.Plain("Create lead"),
		Close:           render.Plain("Cancel"),
		PrivateMetadata: string(md),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

func input(f pipeline.LeadField, label, hint string, el slack.BlockElement, optional bool) *slack.InputBlock {
	var h *slack.TextBlockObject
	if hint != "" {
		h = render.Plain(hint)
	}
	b := slack.NewInputBlock(string(f), render.Plain(label), h, el)
	b.Optional = optional
	return b
}

func textInput(f pipeline.LeadField, placeholder string, maxLen int, multiline bool) *slack.PlainTextInputBlockElement {
	el := slack.NewPlainTextInputBlockElement(render.Plain(placeholder), string(f))
	el.MaxLength = maxLen
	el.Multiline = multiline
	return el
}

func staticSelect(f pipeline.LeadField, placeholder string, values []string) *slack.SelectBlockElement {
	opts := make([]*slack.OptionBlockObject, len(values))
	for i, v := range values {
		opts[i] = slack.NewOptionBlockObject(v, render.Plain(optionLabel(v)), nil)
	}
	return slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, render.Plain(placeholder), string(f), opts...)
}

// optionLabel turns a stored value ("cold call") into its label ("Cold call").
func optionLabel(v string) string {
	if v == "" {
		return v
	}
	return strings.ToUpper(v[:1]) + v[1:]
}
