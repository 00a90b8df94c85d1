package commands

import (
	"encoding/json"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
)

// leadModal is the New lead form (render.LeadModal), meta in its
// private_metadata.
func leadModal(company string, meta leadMeta) slack.ModalViewRequest {
	md, _ := json.Marshal(meta)
	return render.LeadModal(company, meta.Currency, string(md))
}

// The form helpers other modals of commands are built with (render's).
func input(f pipeline.LeadField, label, hint string, el slack.BlockElement, optional bool) *slack.InputBlock {
	return render.Input(f, label, hint, el, optional)
}

func textInput(f pipeline.LeadField, placeholder string, maxLen int, multiline bool) *slack.PlainTextInputBlockElement {
	return render.TextInput(f, placeholder, maxLen, multiline)
}

func staticSelect(f pipeline.LeadField, placeholder string, values []string) *slack.SelectBlockElement {
	return render.StaticSelect(f, placeholder, values)
}
