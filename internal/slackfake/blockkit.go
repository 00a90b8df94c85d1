package slackfake

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Block Kit limits that Slack enforces, so a bot that passes here does not
// fail in Slack. Numbers are Slack's published ones.
const (
	maxViewBlocks    = 100
	maxSectionText   = 3000
	maxFields        = 10
	maxFieldText     = 2000
	maxHeaderText    = 150
	maxIDLen         = 255
	maxOptionText    = 75
	maxOptionValue   = 150
	maxOptions       = 100
	maxOverflowOpts  = 5
	maxButtonText    = 75
	maxButtonValue   = 2000
	maxURLLen        = 3000
	maxContextElems  = 10
	maxActionsElems  = 25
	maxLabelText     = 2000
	maxPlaceholder   = 150
	maxViewJSONBytes = 250_000
)

// Surfaces a list of blocks can be shown on; input blocks are not allowed in
// messages.
const (
	SurfaceMessage = "message"
	SurfaceModal   = "modal"
	SurfaceHome    = "home"
)

// ValidateBlocks checks a blocks array against Slack's Block Kit rules for
// the surface and returns Slack-shaped messages ("[ERROR] … [json-pointer:…]"),
// none when the blocks are valid. pointer prefixes the JSON pointers, e.g.
// "/blocks" or "/view/blocks".
func ValidateBlocks(raw json.RawMessage, surface, pointer string) []string {
	if raw == nil {
		return nil
	}
	var blocks []map[string]any
	if err := json.Unmarshal(raw, &blocks); err != nil {
		return []string{"[ERROR] must be an array of objects [json-pointer:" + pointer + "]"}
	}
	v := &validator{}
	limit := maxMessageBlocks
	if surface != SurfaceMessage {
		limit = maxViewBlocks
	}
	if len(blocks) > limit {
		v.fail(pointer, "no more than %d items allowed", limit)
	}
	for i, b := range blocks {
		v.block(b, surface, fmt.Sprintf("%s/%d", pointer, i))
	}
	return v.errs
}

type validator struct{ errs []string }

func (v *validator) fail(ptr, format string, args ...any) {
	v.errs = append(v.errs, fmt.Sprintf("[ERROR] "+format+" [json-pointer:%s]", append(args, ptr)...))
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// maxLen checks an optional string field.
func (v *validator) maxLen(obj map[string]any, key string, n int, ptr string) {
	if s, _ := obj[key].(string); runes(s) > n {
		v.fail(ptr+"/"+key, "must be less than %d characters", n+1)
	}
}

// text checks a text object; required means it must be present.
func (v *validator) text(obj any, required bool, plainOnly bool, n int, ptr string) {
	t, ok := obj.(map[string]any)
	if !ok {
		if required || obj != nil {
			v.fail(ptr, "must provide an object")
		}
		return
	}
	typ, _ := t["type"].(string)
	switch {
	case typ != "plain_text" && typ != "mrkdwn":
		v.fail(ptr+"/type", "must be a valid enum value")
	case plainOnly && typ != "plain_text":
		v.fail(ptr+"/type", "must be plain_text")
	}
	s, _ := t["text"].(string)
	if s == "" {
		v.fail(ptr+"/text", "must be more than 0 characters")
	}
	if runes(s) > n {
		v.fail(ptr+"/text", "must be less than %d characters", n+1)
	}
}

func (v *validator) block(b map[string]any, surface, ptr string) {
	v.maxLen(b, "block_id", maxIDLen, ptr)
	switch typ, _ := b["type"].(string); typ {
	case "section":
		if b["text"] == nil && b["fields"] == nil {
			v.fail(ptr, "must contain either text or fields")
		}
		if b["text"] != nil {
			v.text(b["text"], true, false, maxSectionText, ptr+"/text")
		}
		if fields, ok := b["fields"].([]any); ok {
			if len(fields) > maxFields {
				v.fail(ptr+"/fields", "no more than %d items allowed", maxFields)
			}
			for i, f := range fields {
				v.text(f, true, false, maxFieldText, fmt.Sprintf("%s/fields/%d", ptr, i))
			}
		}
		if acc, ok := b["accessory"].(map[string]any); ok {
			v.element(acc, ptr+"/accessory")
		}
	case "header":
		v.text(b["text"], true, true, maxHeaderText, ptr+"/text")
	case "divider":
	case "image":
		if u, _ := b["image_url"].(string); u == "" && b["slack_file"] == nil {
			v.fail(ptr+"/image_url", "must provide image_url or slack_file")
		}
		v.maxLen(b, "image_url", maxURLLen, ptr)
		if a, _ := b["alt_text"].(string); a == "" {
			v.fail(ptr+"/alt_text", "must be more than 0 characters")
		}
		if b["title"] != nil {
			v.text(b["title"], false, true, maxLabelText, ptr+"/title")
		}
	case "context":
		els, _ := b["elements"].([]any)
		if len(els) == 0 || len(els) > maxContextElems {
			v.fail(ptr+"/elements", "must have between 1 and %d items", maxContextElems)
		}
		for i, e := range els {
			el, _ := e.(map[string]any)
			p := fmt.Sprintf("%s/elements/%d", ptr, i)
			if t, _ := el["type"].(string); t == "image" {
				v.maxLen(el, "image_url", maxURLLen, p)
			} else {
				v.text(el, true, false, maxSectionText, p)
			}
		}
	case "actions":
		els, _ := b["elements"].([]any)
		if len(els) == 0 || len(els) > maxActionsElems {
			v.fail(ptr+"/elements", "must have between 1 and %d items", maxActionsElems)
		}
		for i, e := range els {
			el, _ := e.(map[string]any)
			v.element(el, fmt.Sprintf("%s/elements/%d", ptr, i))
		}
	case "input":
		if surface == SurfaceMessage {
			v.fail(ptr+"/type", "input blocks are not allowed in messages")
		}
		v.text(b["label"], true, true, maxLabelText, ptr+"/label")
		if b["hint"] != nil {
			v.text(b["hint"], false, true, maxLabelText, ptr+"/hint")
		}
		el, ok := b["element"].(map[string]any)
		if !ok {
			v.fail(ptr+"/element", "must provide an object")
			return
		}
		v.element(el, ptr+"/element")
	case "rich_text", "markdown", "file", "video":
		// Valid Block Kit; the simulator shows them as placeholders.
	default:
		v.fail(ptr+"/type", "must be a valid enum value")
	}
}

// element checks an interactive element or input element.
func (v *validator) element(el map[string]any, ptr string) {
	v.maxLen(el, "action_id", maxIDLen, ptr)
	if el["placeholder"] != nil {
		v.text(el["placeholder"], false, true, maxPlaceholder, ptr+"/placeholder")
	}
	switch typ, _ := el["type"].(string); typ {
	case "button":
		v.text(el["text"], true, true, maxButtonText, ptr+"/text")
		v.maxLen(el, "value", maxButtonValue, ptr)
		v.maxLen(el, "url", maxURLLen, ptr)
		if s, _ := el["style"].(string); s != "" && s != "primary" && s != "danger" {
			v.fail(ptr+"/style", "must be a valid enum value")
		}
	case "static_select", "multi_static_select", "radio_buttons", "checkboxes":
		v.options(el, maxOptions, ptr)
	case "overflow":
		v.options(el, maxOverflowOpts, ptr)
	case "image":
		v.maxLen(el, "image_url", maxURLLen, ptr)
	case "plain_text_input", "email_text_input", "url_text_input", "number_input",
		"datepicker", "timepicker", "datetimepicker",
		"users_select", "multi_users_select", "conversations_select", "multi_conversations_select",
		"channels_select", "multi_channels_select", "external_select", "multi_external_select",
		"rich_text_input", "file_input", "workflow_button":
	default:
		v.fail(ptr+"/type", "must be a valid enum value")
	}
}

// options checks an element's options and option groups.
func (v *validator) options(el map[string]any, max int, ptr string) {
	opts, _ := el["options"].([]any)
	n := len(opts)
	for gi, g := range asSlice(el["option_groups"]) {
		group, _ := g.(map[string]any)
		gopts := asSlice(group["options"])
		n += len(gopts)
		for i, o := range gopts {
			v.option(o, fmt.Sprintf("%s/option_groups/%d/options/%d", ptr, gi, i))
		}
	}
	if n == 0 || n > max {
		v.fail(ptr+"/options", "must have between 1 and %d items", max)
	}
	for i, o := range opts {
		v.option(o, fmt.Sprintf("%s/options/%d", ptr, i))
	}
}

func (v *validator) option(o any, ptr string) {
	opt, _ := o.(map[string]any)
	v.text(opt["text"], true, false, maxOptionText, ptr+"/text")
	v.maxLen(opt, "value", maxOptionValue, ptr)
	if opt["description"] != nil {
		v.text(opt["description"], false, false, maxOptionText, ptr+"/description")
	}
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}
