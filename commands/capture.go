package commands

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// captureMeta travels in the Add to deal modal's private_metadata: the
// message, as the submission needs it (Slack sends only the form back).
// Its time comes from its ts. The text stays as Slack sent it (its markup
// and & < > escaped), so no markup a person typed is ever sent back raw;
// it is cut to fit Slack's 3,000 characters for the whole metadata, so the
// submission reads the message again from Slack and falls back on it only
// when Slack refuses.
type captureMeta struct {
	Channel   string `json:"ch"`
	TS        string `json:"ts"`
	Thread    string `json:"th,omitempty"` // the thread's parent ts, for a reply`
	Author    string `json:"au"`
	Text      string `json:"tx"`
	Suggested bool   `json:"s,omitempty"` // the form offered deals to choose
}

// maxMetadata is Slack's limit on a view's private_metadata.
const maxMetadata = 3000

func (m captureMeta) encode() string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // "<" as \u003c would take six characters of the budget
	_ = enc.Encode(m)
	return strings.TrimSuffix(b.String(), "\n")
}

// fit cuts the text, keeping as much as it can, until the metadata fits
// in maxMetadata bytes (bytes, so it fits however Slack counts).
func (m captureMeta) fit() string {
	if s := m.encode(); len(s) <= maxMetadata {
		return s
	}
	r := []rune(m.Text)
	lo, hi := 0, len(r) // the longest prefix that fits is in [lo, hi)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		m.Text = string(r[:mid]) + "…"
		if len(m.encode()) <= maxMetadata {
			lo = mid
		} else {
			hi = mid
		}
	}
	m.Text = strings.TrimSpace(string(r[:lo])) + "…"
	return m.encode()
}

// messageAction handles a message shortcut: "Add to deal" opens its form.
// The trigger_id lasts three seconds, so the suggestions are read within
// the quick budget; should they not come in time, the form opens without
// them and asks for the deal's number.
func (a *App) messageAction(cb slack.InteractionCallback) Reply {
	if cb.CallbackID != render.ShortcutAddToDeal {
		a.log.Debug("unhandled message shortcut", "callback_id", cb.CallbackID, "team", cb.Team.ID)
		return Reply{}
	}
	author := cb.Message.User
	if author == "" {
		author = cb.Message.BotID
	}
	ts := cb.Message.Timestamp
	if ts == "" {
		ts = cb.MessageTs
	}
	raw := strings.TrimSpace(cb.Message.Text)
	text := slackPlainText(raw)
	if text == "" {
		// Said at once, where the person is, rather than after a form they
		// would fill in for nothing.
		return Reply{Transient: true, Later: func(ctx context.Context) error {
			return a.tell(ctx, cb.ResponseURL, cb.User.ID, message{ResponseType: slack.ResponseTypeEphemeral, Text: render.CaptureNoText})
		}}
	}
	return Reply{Transient: true, Later: func(ctx context.Context) error {
		dbctx, cancel := context.WithTimeout(ctx, fastDBTimeout*2)
		actor, _, err := a.sales.Actor(dbctx, cb.Team.ID, cb.User.ID)
		var sg sales.DealSuggestions
		if err == nil {
			sg, err = a.sales.SuggestDeals(dbctx, sales.SuggestDeals{Actor: actor, Channel: cb.Channel.ID, Text: text})
		}
		cancel()
		if err != nil {
			a.log.Warn("add to deal: no suggestions", "team", cb.Team.ID, "user", cb.User.ID, "error", err)
		}
		meta := captureMeta{Channel: cb.Channel.ID, TS: ts, Thread: cb.Message.ThreadTimestamp, Author: author, Text: pipeline.CutActivity(raw),
			Suggested: err == nil && len(sg.Deals) > 0}
		view := render.CaptureModal(author, text, sg, err != nil, meta.fit())
		return a.openModal(ctx, cb.TriggerID, view, modalOpen{Form: render.FormCapture, user: cb.User.ID})
	}}
}

// captureSubmit checks the Add to deal form and, when it names one deal,
// adds the message to it after the ack and tells the person by DM.
func (a *App) captureSubmit(cb slack.InteractionCallback) Reply {
	var meta captureMeta
	if err := json.Unmarshal([]byte(cb.View.PrivateMetadata), &meta); err != nil || meta.Channel == "" || meta.TS == "" {
		a.log.Warn("add to deal: bad metadata", "team", cb.Team.ID, "error", err)
		return Reply{Ack: slack.NewErrorsViewSubmissionResponse(map[string]string{render.InCaptureRef: render.FormCapture.Name +
			" lost track of the message: close this form and " + render.FormCapture.Again + "."})}
	}
	vals := cb.View.State.Values
	var chosen, typed int64
	if v := vals[render.InCaptureDeal][render.InCaptureDeal].SelectedOption.Value; v != "" {
		chosen, _ = strconv.ParseInt(v, 10, 64)
	}
	if v := strings.TrimSpace(vals[render.InCaptureRef][render.InCaptureRef].Value); v != "" {
		n, err := pipeline.ParseRef(v)
		if err != nil {
			return Reply{Ack: slack.NewErrorsViewSubmissionResponse(map[string]string{render.InCaptureRef: render.Clip(err.Error(), 150)})}
		}
		typed = n
	}
	n := max(chosen, typed)
	switch {
	case n <= 0:
		return Reply{Ack: slack.NewErrorsViewSubmissionResponse(map[string]string{render.InCaptureRef: render.PickADeal(meta.Suggested)})}
	case chosen > 0 && typed > 0 && chosen != typed:
		return Reply{Ack: slack.NewErrorsViewSubmissionResponse(map[string]string{render.InCaptureRef: render.TwoDeals(chosen, typed)})}
	}
	key := "view:" + cb.View.ID // the same on every delivery of this submission
	return a.afterAck(cb.Team.ID, cb.User.ID, func(ctx context.Context, m message) error { return a.tell(ctx, "", cb.User.ID, m) },
		func(ctx context.Context, actor pipeline.User, _ pipeline.Settings) (message, error) {
			return a.addMessage(ctx, actor, n, meta, key)
		})
}

// addMessage gets the message's permalink, then adds the message to deal n.
func (a *App) addMessage(ctx context.Context, actor pipeline.User, n int64, meta captureMeta, key string) (message, error) {
	at, ok := pipeline.MessageTime(meta.TS)
	if !ok {
		return message{}, badInput(render.CaptureBadMessage)
	}
	if a.channels == nil {
		return message{}, errors.New("add to deal: no Channels port")
	}
	link, err := a.channels.MessagePermalink(ctx, meta.Channel, meta.TS)
	if err != nil {
		return message{}, permalinkError(err, meta.Channel)
	}
	text, err := a.capturedText(ctx, meta)
	if err != nil {
		return message{}, err
	}
	res, err := a.sales.AddMessage(ctx, sales.AddMessage{Team: actor.WorkspaceID, Actor: actor, Number: n, IdempotencyKey: key,
		Message: pipeline.CapturedMessage{Channel: meta.Channel, TS: meta.TS, Author: meta.Author, At: at, Text: slackPlainText(text), Permalink: link}})
	if err != nil {
		return message{}, err
	}
	if !res.Already {
		a.dealsChanged(ctx, actor.WorkspaceID, res.Deal.OwnerID)
	}
	m := render.MessageAdded(res, a.userLocation(ctx, actor))
	return message{Text: m.Text, Blocks: m.Blocks}, nil
}

// capturedText is the message's text read again from Slack, whole up to
// the activity's limit (the form's metadata may hold only part of it); the
// metadata's text when Slack refuses to show it.
func (a *App) capturedText(ctx context.Context, meta captureMeta) (string, error) {
	text, err := a.channels.MessageText(ctx, meta.Channel, meta.TS, meta.Thread)
	var r *SlackRefusal
	switch {
	case errors.As(err, &r):
		a.log.Info("add to deal: the message was not read again", "channel", meta.Channel, "code", r.Code)
		return meta.Text, nil
	case err != nil:
		return "", err
	}
	return pipeline.CutActivity(strings.TrimSpace(text)), nil
}

// permalinkError says why Slack gave no link to the message in channel; a
// refusal is the person's to fix, anything else is a failure to retry.
func permalinkError(err error, channel string) error {
	var r *SlackRefusal
	switch {
	case (errors.Is(err, ErrChannelNotFound) || errors.Is(err, ErrNotInChannel)) && strings.HasPrefix(channel, "D"):
		return badInput(render.PermalinkNotInDM)
	case errors.Is(err, ErrChannelNotFound), errors.Is(err, ErrNotInChannel):
		return badInput(render.PermalinkNotInChannel)
	case errors.As(err, &r) && r.Code == "message_not_found":
		return badInput(render.CaptureMessageGone)
	case errors.As(err, &r):
		return badInput(render.PermalinkRefused(r.Code))
	}
	return err
}

// slackMarkup is Slack's markup in a message's text: <@U1>, <#C1|name>,
// <https://x|label>, <mailto:a@b|a@b>, <!here>.
var slackMarkup = regexp.MustCompile(`<([^<>|]*)(?:\|([^<>]*))?>`)

// slackPlainText is a message's text as a person read it: links as their
// label (or address), mentions as @ID, and &amp; &lt; &gt; as & < >.
func slackPlainText(s string) string {
	s = slackMarkup.ReplaceAllStringFunc(s, func(m string) string {
		sub := slackMarkup.FindStringSubmatch(m)
		target, label := sub[1], sub[2]
		switch {
		case label != "" && (strings.HasPrefix(target, "#") || strings.HasPrefix(target, "@")):
			return target[:1] + label
		case label != "":
			return label
		case strings.HasPrefix(target, "@") || strings.HasPrefix(target, "!"):
			return "@" + target[1:]
		case strings.HasPrefix(target, "mailto:"):
			return strings.TrimPrefix(target, "mailto:")
		}
		return target
	})
	s = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "�")
	}
	return strings.TrimSpace(s)
}
