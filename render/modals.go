package render

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
)

// LeadNewCallback is the New lead form's callback ID.
const LeadNewCallback = "lead_new"

// Callback IDs of the modals opened from a deal card.
const (
	CbMove     = "deal_move"
	CbWon      = "deal_won"
	CbLost     = "deal_lost"
	CbNote     = "deal_note"
	CbFollowup = "deal_followup"
	CbEdit     = "deal_edit"
)

// Block (and action) IDs of those modals' inputs.
const (
	InStage  = "stage"
	InAmount = "amount"
	InReason = "reason"
	InKind   = "kind"
	InBody   = "body"
	InWhen   = "when"
	InNote   = "note"
)

// LeadModal is the New lead form. Labels are part of the product contract;
// block and action IDs are the pipeline's field names, so errors returned by
// validation land under the right input. metadata is the view's
// private_metadata, as the caller encoded it.
func LeadModal(company, currency, metadata string) slack.ModalViewRequest {
	companyIn := TextInput(pipeline.FieldCompany, "Acme Inc.", pipeline.MaxNameLen, false)
	companyIn.InitialValue = company
	blocks := []slack.Block{
		Input(pipeline.FieldCompany, "Company", "", companyIn, false),
		Input(pipeline.FieldTitle, "Deal title", "Defaults to the company name.", TextInput(pipeline.FieldTitle, "Website redesign", pipeline.MaxNameLen, false), true),
		Input(pipeline.FieldContactName, "Contact name", "", TextInput(pipeline.FieldContactName, "Jane Doe", pipeline.MaxNameLen, false), true),
		Input(pipeline.FieldContactEmail, "Contact email", "", slack.NewEmailTextInputBlockElement(Plain("jane@acme.com"), string(pipeline.FieldContactEmail)), true),
		Input(pipeline.FieldIndustry, "Industry", "", TextInput(pipeline.FieldIndustry, "Software", pipeline.MaxShortLen, false), true),
		Input(pipeline.FieldCompanySize, "Company size", "Employees.", StaticSelect(pipeline.FieldCompanySize, "Choose a size", pipeline.CompanySizes), true),
		Input(pipeline.FieldSource, "Source", "", StaticSelect(pipeline.FieldSource, "Where the lead came from", pipeline.LeadSources), true),
		Input(pipeline.FieldValue, "Estimated value", "In "+currency+", e.g. 12500, 12,500.50 or 12.5k.", TextInput(pipeline.FieldValue, "12500", 40, false), true),
		Input(pipeline.FieldExpectedClose, "Expected close date", "", slack.NewDatePickerBlockElement(string(pipeline.FieldExpectedClose)), true),
		Input(pipeline.FieldOwner, "Owner", "Leave empty to route the lead automatically.", slack.NewOptionsSelectBlockElement(slack.OptTypeUser, Plain("Choose a rep"), string(pipeline.FieldOwner)), true),
		Input(pipeline.FieldNotes, "Notes", "", TextInput(pipeline.FieldNotes, "What do we know so far?", pipeline.MaxNotesLen, true), true),
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      LeadNewCallback,
		Title:           Plain("New lead"),
		Submit:          Plain("Create lead"),
		Close:           Plain("Cancel"),
		PrivateMetadata: metadata,
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

// Input is a form input labelled for people, its block ID the field.
func Input(f pipeline.LeadField, label, hint string, el slack.BlockElement, optional bool) *slack.InputBlock {
	var h *slack.TextBlockObject
	if hint != "" {
		h = Plain(hint)
	}
	b := slack.NewInputBlock(string(f), Plain(label), h, el)
	b.Optional = optional
	return b
}

// TextInput is a text element with a placeholder and a length limit.
func TextInput(f pipeline.LeadField, placeholder string, maxLen int, multiline bool) *slack.PlainTextInputBlockElement {
	el := slack.NewPlainTextInputBlockElement(Plain(placeholder), string(f))
	el.MaxLength = maxLen
	el.Multiline = multiline
	return el
}

// StaticSelect offers values under their labels.
func StaticSelect(f pipeline.LeadField, placeholder string, values []string) *slack.SelectBlockElement {
	opts := make([]*slack.OptionBlockObject, len(values))
	for i, v := range values {
		opts[i] = slack.NewOptionBlockObject(v, Plain(OptionLabel(v)), nil)
	}
	return slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, Plain(placeholder), string(f), opts...)
}

// Modal is a form with Cancel, its title clipped to Slack's 24 characters.
func Modal(callback, title, submit, metadata string, blocks ...slack.Block) slack.ModalViewRequest {
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: callback,
		Title: Plain(Clip(title, 24)), Submit: Plain(submit), Close: Plain("Cancel"),
		PrivateMetadata: metadata,
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

// Field is Input with a plain ID.
func Field(id, label, hint string, el slack.BlockElement, optional bool) *slack.InputBlock {
	return Input(pipeline.LeadField(id), label, hint, el, optional)
}

// TextEl is TextInput with an initial value.
func TextEl(id, placeholder, initial string, maxLen int, multiline bool) *slack.PlainTextInputBlockElement {
	el := TextInput(pipeline.LeadField(id), placeholder, maxLen, multiline)
	el.InitialValue = initial
	return el
}

// Options are values under their labels, clipped to Slack's 75 characters.
func Options(values []string, label func(string) string) []*slack.OptionBlockObject {
	opts := make([]*slack.OptionBlockObject, len(values))
	for i, v := range values {
		opts[i] = slack.NewOptionBlockObject(v, Plain(Clip(label(v), 75)), nil)
	}
	return opts
}

// MoveModal asks for a deal's new stage, with the amount for a win and the
// reason for a loss.
func MoveModal(d pipeline.Deal, stages []pipeline.StageDef, metadata string) slack.ModalViewRequest {
	var keys []string
	for _, s := range stages {
		if s.Key != d.Stage {
			keys = append(keys, string(s.Key))
		}
	}
	sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, Plain("Choose a stage"), InStage,
		Options(keys, func(k string) string { return pipeline.StageLabelIn(stages, pipeline.Stage(k)) })...)
	return Modal(CbMove, "Move "+d.Ref(), "Move", metadata,
		slack.NewSectionBlock(Mrkdwn(DealLine(d, stages)), nil, nil),
		Field(InStage, "New stage", "", sel, false),
		Field(InAmount, "Final amount", "Only for Closed-won; empty keeps "+ValueText(d)+".", TextEl(InAmount, "12500", "", 40, false), true),
		Field(InReason, "Reason", "Required for Closed-lost.", TextEl(InReason, "Went with a competitor", "", pipeline.MaxReasonLen, true), true),
	)
}

// amountInput is a deal's value as the amount fields show it: no symbol.
func amountInput(d pipeline.Deal) string {
	if d.Value.Minor > 0 {
		return strings.TrimLeft(d.Value.String(), "$€£¥₹")
	}
	return ""
}

// WonModal closes a deal as won, the final amount prefilled.
func WonModal(d pipeline.Deal, metadata string) slack.ModalViewRequest {
	return Modal(CbWon, "Won "+d.Ref(), "Close as won", metadata,
		slack.NewSectionBlock(Mrkdwn(":tada: Closing *"+Escape(d.AccountName)+"* as won."), nil, nil),
		Field(InAmount, "Final amount", "In "+d.Value.Currency+"; empty keeps the current value.", TextEl(InAmount, "12500", amountInput(d), 40, false), true),
	)
}

// LostModal closes a deal as lost and asks why.
func LostModal(d pipeline.Deal, metadata string) slack.ModalViewRequest {
	return Modal(CbLost, "Lost "+d.Ref(), "Close as lost", metadata,
		Field(InReason, "Reason", "Why was "+Clip(d.AccountName, 60)+" lost?", TextEl(InReason, "Went with a competitor", "", pipeline.MaxReasonLen, true), false),
	)
}

// NoteModal logs an activity of one of kinds.
func NoteModal(d pipeline.Deal, kinds []string, metadata string) slack.ModalViewRequest {
	kind := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, Plain("Call, email, meeting…"), InKind, Options(kinds, OptionLabel)...)
	kind.InitialOption = slack.NewOptionBlockObject("note", Plain("Note"), nil)
	return Modal(CbNote, "Log activity "+d.Ref(), "Log", metadata,
		Field(InKind, "Kind", "", kind, false),
		Field(InBody, "What happened", "", TextEl(InBody, "Called Jane: budget approved", "", pipeline.MaxNotesLen, true), false),
	)
}

// FollowupModal sets a follow-up; tz names the person's timezone, in which
// the time they type is read.
func FollowupModal(d pipeline.Deal, tz, metadata string) slack.ModalViewRequest {
	return Modal(CbFollowup, "Follow-up "+d.Ref(), "Set", metadata,
		Field(InWhen, "When", "tomorrow 10am, in 3 days, friday, 2026-12-01 14:30 — your timezone ("+tz+").", TextEl(InWhen, "tomorrow 10am", "", 100, false), false),
		Field(InNote, "Note", "", TextEl(InNote, "Send the revised quote", "", 400, false), true),
	)
}

// EditModal edits a deal's fields, prefilled with what it holds.
func EditModal(d pipeline.Deal, metadata string) slack.ModalViewRequest {
	recurring := slack.NewCheckboxGroupsBlockElement(string(pipeline.FieldRecurring),
		slack.NewOptionBlockObject("recurring", Plain("Recurring (annual value)"), nil))
	if d.Recurring {
		recurring.InitialOptions = recurring.Options
	}
	date := slack.NewDatePickerBlockElement(string(pipeline.FieldExpectedClose))
	if d.ExpectedClose != nil {
		date.InitialDate = d.ExpectedClose.Format("2006-01-02")
	}
	source := StaticSelect(pipeline.FieldSource, "Where the lead came from", pipeline.LeadSources)
	if d.Source != "" {
		source.InitialOption = slack.NewOptionBlockObject(d.Source, Plain(OptionLabel(d.Source)), nil)
	}
	email := slack.NewEmailTextInputBlockElement(Plain("jane@acme.com"), string(pipeline.FieldContactEmail))
	email.InitialValue = d.ContactEmail
	return Modal(CbEdit, "Edit "+d.Ref(), "Save", metadata,
		Field(string(pipeline.FieldTitle), "Deal title", "", TextEl(string(pipeline.FieldTitle), "Website redesign", d.Title, pipeline.MaxNameLen, false), false),
		Field(string(pipeline.FieldValue), "Estimated value", "In "+d.Value.Currency+".", TextEl(string(pipeline.FieldValue), "12500", amountInput(d), 40, false), true),
		DiscountField(d),
		Field(string(pipeline.FieldRecurring), "Kind of deal", "", recurring, true),
		Field(string(pipeline.FieldExpectedClose), "Expected close date", "", date, true),
		Field(string(pipeline.FieldSource), "Source", "", source, true),
		Field(string(pipeline.FieldContactName), "Contact name", "", TextEl(string(pipeline.FieldContactName), "Jane Doe", d.ContactName, pipeline.MaxNameLen, false), true),
		Field(string(pipeline.FieldContactEmail), "Contact email", "", email, true),
	)
}

// CbQualify is the BANT form's callback ID.
const CbQualify = "lead_qualify"

// QualifyModal is the BANT form, showing the previous answers (q) if any.
func QualifyModal(d pipeline.Deal, q *pipeline.Qualification, metadata string) slack.ModalViewRequest {
	var prev pipeline.Qualification
	budget := ""
	if q != nil {
		prev, budget = *q, "no"
		if q.BudgetConfirmed {
			budget = "yes"
		}
	}
	sel := func(id, placeholder string, values []string, label func(string) string, initial string) *slack.SelectBlockElement {
		el := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, Plain(placeholder), id, Options(values, label)...)
		for _, o := range el.Options {
			if o.Value == initial {
				el.InitialOption = o
			}
		}
		return el
	}
	yesNo := func(v string) string {
		if v == "yes" {
			return "Yes, confirmed"
		}
		return "No, not yet"
	}
	f := func(k pipeline.LeadField) string { return string(k) }
	return Modal(CbQualify, "Qualify "+d.Ref(), "Save", metadata,
		slack.NewSectionBlock(Mrkdwn(fmt.Sprintf("*%s · %s*", d.Ref(), Escape(d.AccountName))), nil, nil),
		Field(f(pipeline.FieldBudget), "Budget confirmed", "", sel(f(pipeline.FieldBudget), "Yes or no", []string{"yes", "no"}, yesNo, budget), false),
		Field(f(pipeline.FieldBudgetRange), "Budget range", "e.g. 20–40k per year", TextEl(f(pipeline.FieldBudgetRange), "20-40k", prev.BudgetRange, pipeline.MaxBudgetRange, false), true),
		Field(f(pipeline.FieldAuthority), "Authority", "Who the contact is in the decision.", sel(f(pipeline.FieldAuthority), "Choose", pipeline.Authorities, pipeline.ChoiceLabel, prev.Authority), false),
		Field(f(pipeline.FieldNeed), "Need", "The problem they want solved, in their words.", TextEl(f(pipeline.FieldNeed), "Their reps lose track of follow-ups", prev.Need, pipeline.MaxNotesLen, true), true),
		Field(f(pipeline.FieldTiming), "Timing", "When they mean to buy.", sel(f(pipeline.FieldTiming), "Choose", pipeline.Timings, pipeline.ChoiceLabel, prev.Timing), false),
		Field(f(pipeline.FieldOutcome), "Outcome", "Disqualified closes the lead as lost.", sel(f(pipeline.FieldOutcome), "Choose", []string{pipeline.OutcomeQualified, pipeline.OutcomeDisqualified}, OptionLabel, pipeline.OutcomeQualified), false),
		Field(f(pipeline.FieldReason), "Disqualification reason", "Needed when disqualified.", TextEl(f(pipeline.FieldReason), "No budget this year", "", pipeline.MaxReasonLen, false), true),
	)
}

// QualifyClosed refuses to qualify a closed deal.
func QualifyClosed(d pipeline.Deal) string {
	return fmt.Sprintf("%s is closed; reopen it (`/deal move %s lead`) before qualifying it.", d.Ref(), d.Ref())
}
