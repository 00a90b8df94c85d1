package commands

import (
	"strings"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// Callback IDs of the modals opened from a deal card.
const (
	cbMove     = "deal_move"
	cbWon      = "deal_won"
	cbLost     = "deal_lost"
	cbNote     = "deal_note"
	cbFollowup = "deal_followup"
	cbEdit     = "deal_edit"
)

// Block (and action) IDs of those modals' inputs.
const (
	inStage  = "stage"
	inAmount = "amount"
	inReason = "reason"
	inKind   = "kind"
	inBody   = "body"
	inWhen   = "when"
	inNote   = "note"
)

var activityKinds = sales.ActivityKinds

func modal(callback, title, submit string, ref cardRef, blocks ...slack.Block) slack.ModalViewRequest {
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: callback,
		Title: render.Plain(render.Clip(title, 24)), Submit: render.Plain(submit), Close: render.Plain("Cancel"),
		PrivateMetadata: ref.encode(),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

func field(id, label, hint string, el slack.BlockElement, optional bool) *slack.InputBlock {
	return input(pipeline.LeadField(id), label, hint, el, optional)
}

func textEl(id, placeholder, initial string, maxLen int, multiline bool) *slack.PlainTextInputBlockElement {
	el := textInput(pipeline.LeadField(id), placeholder, maxLen, multiline)
	el.InitialValue = initial
	return el
}

func options(values []string, label func(string) string) []*slack.OptionBlockObject {
	opts := make([]*slack.OptionBlockObject, len(values))
	for i, v := range values {
		opts[i] = slack.NewOptionBlockObject(v, render.Plain(render.Clip(label(v), 75)), nil)
	}
	return opts
}

func moveModal(d pipeline.Deal, stages []pipeline.StageDef, ref cardRef) slack.ModalViewRequest {
	var keys []string
	for _, s := range stages {
		if s.Key != d.Stage {
			keys = append(keys, string(s.Key))
		}
	}
	sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, render.Plain("Choose a stage"), inStage,
		options(keys, func(k string) string { return pipeline.StageLabelIn(stages, pipeline.Stage(k)) })...)
	return modal(cbMove, "Move "+d.Ref(), "Move", ref,
		slack.NewSectionBlock(render.Mrkdwn(dealLine(d, stages)), nil, nil),
		field(inStage, "New stage", "", sel, false),
		field(inAmount, "Final amount", "Only for Closed-won; empty keeps "+valueText(d)+".", textEl(inAmount, "12500", "", 40, false), true),
		field(inReason, "Reason", "Required for Closed-lost.", textEl(inReason, "Went with a competitor", "", pipeline.MaxReasonLen, true), true),
	)
}

func wonModal(d pipeline.Deal, ref cardRef) slack.ModalViewRequest {
	initial := ""
	if d.Value.Minor > 0 {
		initial = strings.TrimLeft(d.Value.String(), "$€£¥₹")
	}
	return modal(cbWon, "Won "+d.Ref(), "Close as won", ref,
		slack.NewSectionBlock(render.Mrkdwn(":tada: Closing *"+render.Escape(d.AccountName)+"* as won."), nil, nil),
		field(inAmount, "Final amount", "In "+d.Value.Currency+"; empty keeps the current value.", textEl(inAmount, "12500", initial, 40, false), true),
	)
}

func lostModal(d pipeline.Deal, ref cardRef) slack.ModalViewRequest {
	return modal(cbLost, "Lost "+d.Ref(), "Close as lost", ref,
		field(inReason, "Reason", "Why was "+render.Clip(d.AccountName, 60)+" lost?", textEl(inReason, "Went with a competitor", "", pipeline.MaxReasonLen, true), false),
	)
}

func noteModal(d pipeline.Deal, ref cardRef) slack.ModalViewRequest {
	kind := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, render.Plain("Kind"), inKind, options(activityKinds, optionLabel)...)
	kind.InitialOption = slack.NewOptionBlockObject("note", render.Plain("Note"), nil)
	return modal(cbNote, "Log activity "+d.Ref(), "Log", ref,
		field(inKind, "Kind", "", kind, false),
		field(inBody, "What happened", "", textEl(inBody, "Called Jane: budget approved", "", pipeline.MaxNotesLen, true), false),
	)
}

func followupModal(d pipeline.Deal, ref cardRef) slack.ModalViewRequest {
	return modal(cbFollowup, "Follow-up "+d.Ref(), "Set", ref,
		field(inWhen, "When", "tomorrow 10am, in 3 days, friday, 2026-12-01 14:30 — your timezone ("+location(ref.TZ).String()+").", textEl(inWhen, "tomorrow 10am", "", 100, false), false),
		field(inNote, "Note", "", textEl(inNote, "Send the revised quote", "", 400, false), true),
	)
}

func editModal(d pipeline.Deal, ref cardRef) slack.ModalViewRequest {
	value := ""
	if d.Value.Minor > 0 {
		value = strings.TrimLeft(d.Value.String(), "$€£¥₹")
	}
	recurring := slack.NewCheckboxGroupsBlockElement(string(pipeline.FieldRecurring),
		slack.NewOptionBlockObject("recurring", render.Plain("Recurring (annual value)"), nil))
	if d.Recurring {
		recurring.InitialOptions = recurring.Options
	}
	date := slack.NewDatePickerBlockElement(string(pipeline.FieldExpectedClose))
	if d.ExpectedClose != nil {
		date.InitialDate = d.ExpectedClose.Format("2006-01-02")
	}
	source := staticSelect(pipeline.FieldSource, "Where the lead came from", pipeline.LeadSources)
	if d.Source != "" {
		source.InitialOption = slack.NewOptionBlockObject(d.Source, render.Plain(optionLabel(d.Source)), nil)
	}
	email := slack.NewEmailTextInputBlockElement(render.Plain("jane@acme.com"), string(pipeline.FieldContactEmail))
	email.InitialValue = d.ContactEmail
	return modal(cbEdit, "Edit "+d.Ref(), "Save", ref,
		field(string(pipeline.FieldTitle), "Deal title", "", textEl(string(pipeline.FieldTitle), "Website redesign", d.Title, pipeline.MaxNameLen, false), false),
		field(string(pipeline.FieldValue), "Estimated value", "In "+d.Value.Currency+".", textEl(string(pipeline.FieldValue), "12500", value, 40, false), true),
		field(string(pipeline.FieldRecurring), "Kind of deal", "", recurring, true),
		field(string(pipeline.FieldExpectedClose), "Expected close date", "", date, true),
		field(string(pipeline.FieldSource), "Source", "", source, true),
		field(string(pipeline.FieldContactName), "Contact name", "", textEl(string(pipeline.FieldContactName), "Jane Doe", d.ContactName, pipeline.MaxNameLen, false), true),
		field(string(pipeline.FieldContactEmail), "Contact email", "", email, true),
	)
}
