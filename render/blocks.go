package render

import (
	"encoding/json"
	"fmt"

	"github.com/slack-go/slack"
)

// MaxSectionText is Slack's limit on a section's text.
const MaxSectionText = 3000

// Plain is a plain_text object.
func Plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
}

// Mrkdwn is a mrkdwn text object.
func Mrkdwn(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
}

// TextSection is a text section clipped to Slack's limit.
func TextSection(text string) *slack.SectionBlock {
	return slack.NewSectionBlock(Mrkdwn(Clip(text, MaxSectionText)), nil, nil)
}

// CapBlocks keeps a view within max blocks, the last one saying how many
// were left out.
func CapBlocks(blocks []slack.Block, max int) []slack.Block {
	if len(blocks) <= max {
		return blocks
	}
	left := len(blocks) - (max - 1)
	return append(blocks[:max-1:max-1], TextSection(fmt.Sprintf("…and %d more", left)))
}

// MustJSON encodes blocks built in code; failing would be a programming error.
func MustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("encode blocks: %v", err))
	}
	return b
}
