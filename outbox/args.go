package outbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/slack-go/slack"
)

// jobKind is the River kind of an outbox delivery; it is stored in jobs, so
// renaming it strands the jobs already queued.
const jobKind = "outbox_message"

// Slack's limits that an enqueued message can be checked against up front,
// so that a programming error fails the caller's transaction instead of
// being cancelled later, out of sight.
const (
	maxBlocks  = 50
	maxTextLen = 40_000
)

// deliveryArgs is the job's args: a Message, with the fields River's
// uniqueness looks at marked (workspace and key, nothing else).
type deliveryArgs struct {
	TeamID  string          `json:"team_id" river:"unique"`
	Channel string          `json:"channel"`
	Text    string          `json:"text"`
	Blocks  json.RawMessage `json:"blocks,omitempty"`
	MsgKind string          `json:"kind"`
	Key     string          `json:"key,omitempty" river:"unique"`
	Update  string          `json:"update,omitempty"`
	Chart   *Chart          `json:"chart,omitempty"`
}

// Kind is River's job kind; MsgKind is the Message's Kind.
func (deliveryArgs) Kind() string { return jobKind }

func argsOf(m Message) deliveryArgs {
	return deliveryArgs{TeamID: m.TeamID, Channel: m.Channel, Text: m.Text, Blocks: m.Blocks,
		MsgKind: m.Kind, Key: m.Key, Update: m.Update, Chart: m.Chart}
}

func (m Message) validate() error {
	var errs []error
	if err := ValidTeam(m.TeamID); err != nil {
		errs = append(errs, fmt.Errorf("team_id: %w", err))
	}
	if m.Channel == "" {
		errs = append(errs, errors.New("channel is required"))
	}
	if m.Kind == "" {
		errs = append(errs, errors.New("kind is required"))
	}
	if m.Text == "" && len(m.Blocks) == 0 {
		errs = append(errs, errors.New("text or blocks is required"))
	}
	if len(m.Text) > maxTextLen {
		errs = append(errs, fmt.Errorf("text is %d bytes, over Slack's %d", len(m.Text), maxTextLen))
	}
	if len(m.Blocks) > 0 {
		if b, err := parseBlocks(m.Blocks); err != nil {
			errs = append(errs, err)
		} else if len(b) > maxBlocks {
			errs = append(errs, fmt.Errorf("%d blocks, over Slack's %d", len(b), maxBlocks))
		}
	}
	if m.Chart != nil && (len(m.Chart.PNG) == 0 || len(m.Chart.PNG) > maxChartBytes || m.Chart.Filename == "") {
		errs = append(errs, fmt.Errorf("a chart needs a file name and a PNG of 1 to %d bytes", maxChartBytes))
	}
	return errors.Join(errs...)
}

// maxChartBytes bounds a chart, which travels inside the job's args.
const maxChartBytes = 512 << 10

// parseBlocks decodes Block Kit JSON; block types slack-go does not know
// are kept as they came.
func parseBlocks(raw json.RawMessage) ([]slack.Block, error) {
	var b slack.Blocks
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil, fmt.Errorf("blocks: %w", err)
	}
	return b.BlockSet, nil
}

// isUserID reports whether a Message channel is a user, whose DM channel
// has another ID (Slack posts to the DM when given a user ID).
func isUserID(channel string) bool {
	return strings.HasPrefix(channel, "U") || strings.HasPrefix(channel, "W")
}
