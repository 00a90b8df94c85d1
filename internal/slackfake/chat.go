package slackfake

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// maxMessageBlocks is Slack's limit; more answers invalid_blocks.
const maxMessageBlocks = 50

// Message is a message as the fake stores it.
type Message struct {
	Channel   string
	TS        string
	ThreadTS  string
	Text      string
	Blocks    json.RawMessage // nil when the message has none
	Metadata  json.RawMessage // {"event_type":…,"event_payload":…}, nil when none
	User      string          // the bot user, or the recipient of an ephemeral message
	Ephemeral bool
	Via       string   // the method that created it: chat.postMessage, chat.postEphemeral or response_url
	Edits     int      // how many chat.update calls (or replace_original responses) changed it
	Files     []string // IDs of files shared with the message (see AddMessage)
	// BotID and SubType mark a message from another app (e.g. BotID "B0OTHER",
	// SubType "bot_message"); the bot's own messages get BotID by themselves.
	BotID, SubType string
}

// Messages returns the messages of channel ("" = every channel) in ts order,
// ephemeral ones included. A user ID as channel means that user's DM, "D"+ID.
func (s *Server) Messages(channel string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.messagesLocked(channel)
}

func (s *Server) messagesLocked(channel string) []Message {
	if channel != "" {
		return slices.Clone(s.messages[dmChannel(channel)])
	}
	var out []Message
	for _, msgs := range s.messages {
		out = append(out, msgs...)
	}
	slices.SortFunc(out, func(a, b Message) int { return compareTS(a.TS, b.TS) })
	return out
}

// WaitMessage returns the first message of channel ("" = any) for which match
// (nil = any) is true, waiting for it if needed; match may use the Server.
func (s *Server) WaitMessage(ctx context.Context, channel string, match func(Message) bool) (Message, error) {
	m, err := waitMatch(ctx, s, func() []Message { return s.messagesLocked(channel) }, match)
	if err != nil {
		return Message{}, fmt.Errorf("slackfake: waiting for a message in %q: %w", channel, err)
	}
	return m, nil
}

// dmChannel maps a user ID to the ID of its DM with the bot, as Slack does
// when a message is posted to a user ID; conversations.open returns the same.
func dmChannel(id string) string {
	if strings.HasPrefix(id, "U") || strings.HasPrefix(id, "W") {
		return "D" + id
	}
	return id
}

// parseTS turns "1700000000.000123" into microseconds; bad input gives -1.
func parseTS(ts string) int64 {
	sec, frac, _ := strings.Cut(ts, ".")
	s, err := strconv.ParseInt(sec, 10, 64)
	if err != nil {
		return -1
	}
	frac = (frac + "000000")[:6]
	us, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return -1
	}
	return s*1e6 + us
}

func compareTS(a, b string) int { return cmp.Compare(parseTS(a), parseTS(b)) }

// newMessage builds a message from chat.* parameters, or returns an error
// code.
func newMessage(c Call) (Message, string) {
	m := Message{Channel: dmChannel(c.Param("channel")), Text: c.Param("text"), ThreadTS: c.Param("thread_ts")}
	var ok bool
	if m.Blocks, ok = rawParam(c, "blocks"); !ok || ValidateBlocks(m.Blocks, SurfaceMessage, "/blocks") != nil {
		return m, "invalid_blocks"
	}
	if m.Metadata, ok = rawParam(c, "metadata"); !ok {
		return m, "invalid_metadata"
	}
	if m.Channel == "" {
		return m, "channel_not_found"
	}
	if m.Text == "" && m.Blocks == nil && c.Param("attachments") == "" {
		return m, "no_text"
	}
	return m, ""
}

// messageError answers a chat.* call that newMessage refused; invalid blocks
// carry Slack's per-field messages.
func messageError(c Call, code string) reply {
	r := apiError(code)
	if code == "invalid_blocks" {
		raw, ok := rawParam(c, "blocks")
		msgs := []string{"[ERROR] must be a JSON array [json-pointer:/blocks]"}
		if ok {
			msgs = ValidateBlocks(raw, SurfaceMessage, "/blocks")
		}
		r["errors"] = msgs
		r["response_metadata"] = map[string]any{"messages": msgs}
	}
	return r
}

// messageJSON is the message object Slack returns in chat.* and history.
func messageJSON(m Message) map[string]any {
	out := map[string]any{"type": "message", "text": m.Text, "ts": m.TS, "team": TeamID,
		"user": BotUserID, "bot_id": BotID, "app_id": AppID}
	if m.User != "" && m.User != BotUserID && !m.Ephemeral {
		// A person's message (or another app's): no bot fields of ours.
		out["user"] = m.User
		delete(out, "bot_id")
		delete(out, "app_id")
	}
	if m.BotID != "" {
		out["bot_id"] = m.BotID
	}
	if m.SubType != "" {
		out["subtype"] = m.SubType
	}
	if m.ThreadTS != "" {
		out["thread_ts"] = m.ThreadTS
	}
	if m.Blocks != nil {
		out["blocks"] = m.Blocks
	}
	if m.Metadata != nil {
		out["metadata"] = m.Metadata
	}
	return out
}

func (s *Server) chatPostMessage(c Call) reply {
	m, code := newMessage(c)
	if code != "" {
		return messageError(c, code)
	}
	m.User, m.Via = BotUserID, "chat.postMessage"
	s.mu.Lock()
	if s.channels[m.Channel].Archived {
		s.mu.Unlock()
		return apiError("is_archived")
	}
	m.TS = s.nextTSLocked()
	s.messages[m.Channel] = append(s.messages[m.Channel], m)
	s.mu.Unlock()
	return reply{"channel": m.Channel, "ts": m.TS, "message": messageJSON(m)}
}

func (s *Server) chatPostEphemeral(c Call) reply {
	m, code := newMessage(c)
	if code != "" {
		return messageError(c, code)
	}
	if m.User = c.Param("user"); m.User == "" {
		return apiError("user_not_found")
	}
	m.Ephemeral, m.Via = true, "chat.postEphemeral"
	s.mu.Lock()
	if code := s.ephemeralRefusalLocked(m.Channel, m.User); code != "" {
		s.mu.Unlock()
		return apiError(code)
	}
	m.TS = s.nextTSLocked()
	s.messages[m.Channel] = append(s.messages[m.Channel], m)
	s.mu.Unlock()
	return reply{"message_ts": m.TS}
}

// ephemeralRefusalLocked is Slack's error code for an ephemeral message to
// user in channel, "" when it may be shown: a DM only to its person; any
// other channel must be one the fake knows, not archived, with the bot and
// user among its members.
func (s *Server) ephemeralRefusalLocked(channel, user string) string {
	if strings.HasPrefix(channel, "D") {
		if _, known := s.channels[channel]; !known && channel != dmChannel(user) {
			return "user_not_in_channel"
		}
		return ""
	}
	ch, code := s.knownChannelLocked(channel)
	switch {
	case code != "":
		return code
	case !slices.Contains(ch.Members, user):
		return "user_not_in_channel"
	}
	return ""
}

// Ephemerals returns the ephemeral messages user was shown in channel ("" =
// any), oldest first.
func (s *Server) Ephemerals(channel, user string) []Message {
	var out []Message
	for _, m := range s.Messages(channel) {
		if m.Ephemeral && m.User == user {
			out = append(out, m)
		}
	}
	return out
}

// findLocked returns the index of the non-ephemeral message ts in channel.
func (s *Server) findLocked(channel, ts string) int {
	return slices.IndexFunc(s.messages[channel], func(m Message) bool { return m.TS == ts && !m.Ephemeral })
}

// chatUpdate changes the fields the call sets and keeps the others, as Slack
// keeps blocks and metadata that an update leaves out.
func (s *Server) chatUpdate(c Call) reply {
	upd, code := newMessage(c)
	if code != "" && code != "no_text" {
		return messageError(c, code)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.findLocked(upd.Channel, c.Param("ts"))
	if i < 0 {
		return apiError("message_not_found")
	}
	m := &s.messages[upd.Channel][i]
	if _, set := c.Params["text"]; set || c.JSON["text"] != nil {
		m.Text = upd.Text
	}
	if upd.Blocks != nil {
		m.Blocks = upd.Blocks
	}
	if upd.Metadata != nil {
		m.Metadata = upd.Metadata
	}
	m.Edits++
	s.broadcastLocked()
	return reply{"channel": m.Channel, "ts": m.TS, "text": m.Text, "message": messageJSON(*m)}
}

func (s *Server) chatDelete(c Call) reply {
	ch, ts := dmChannel(c.Param("channel")), c.Param("ts")
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.findLocked(ch, ts)
	if i < 0 {
		return apiError("message_not_found")
	}
	s.messages[ch] = slices.Delete(s.messages[ch], i, i+1)
	return reply{"channel": ch, "ts": ts}
}

func (s *Server) chatGetPermalink(c Call) reply {
	ch, ts := c.Param("channel"), c.Param("message_ts")
	if ch == "" || ts == "" {
		return apiError("invalid_arguments")
	}
	s.mu.Lock()
	_, known := s.channels[ch]
	hidden := s.hiddenLocked(ch)
	missing := known && s.findLocked(ch, ts) < 0
	s.mu.Unlock()
	if hidden {
		return apiError("channel_not_found")
	}
	if missing {
		// Channels the fake knows hold their messages; others link to anything.
		return apiError("message_not_found")
	}
	return reply{"channel": ch, "permalink": "https://fake.slack.com/archives/" + ch + "/p" + strings.Replace(ts, ".", "", 1)}
}

// conversationsHistory lists a channel's top-level, non-ephemeral messages
// newest first, honouring oldest, latest, inclusive and limit.
func (s *Server) conversationsHistory(c Call) reply {
	ch := dmChannel(c.Param("channel"))
	if ch == "" {
		return apiError("channel_not_found")
	}
	w := readWindow(c, 100)
	msgs, ok := s.visibleMessages(ch)
	if !ok {
		return apiError("channel_not_found")
	}
	out := []map[string]any{}
	hasMore := false
	for _, m := range slices.Backward(msgs) {
		if m.Ephemeral || (m.ThreadTS != "" && m.ThreadTS != m.TS) || !w.holds(m.TS) {
			continue
		}
		if len(out) == w.limit {
			hasMore = true
			break
		}
		out = append(out, messageJSON(m))
	}
	return reply{"messages": out, "has_more": hasMore, "pin_count": 0,
		"response_metadata": map[string]any{"next_cursor": ""}}
}

// conversationsReplies lists a thread, its parent ts first then its
// replies oldest first, honouring latest, oldest, inclusive and limit; a ts
// that is no message answers thread_not_found.
func (s *Server) conversationsReplies(c Call) reply {
	ch, ts := dmChannel(c.Param("channel")), c.Param("ts")
	if ch == "" {
		return apiError("channel_not_found")
	}
	if ts == "" {
		return apiError("invalid_arguments")
	}
	w := readWindow(c, 1000)
	msgs, ok := s.visibleMessages(ch)
	if !ok {
		return apiError("channel_not_found")
	}
	var parent string // the thread's parent: ts itself, or the thread ts names
	for _, m := range msgs {
		if m.TS == ts && !m.Ephemeral {
			parent = m.ThreadTS
			if parent == "" {
				parent = m.TS
			}
		}
	}
	if parent == "" {
		return apiError("thread_not_found")
	}
	out := []map[string]any{}
	hasMore := false
	for _, m := range msgs {
		if m.Ephemeral || (m.TS != parent && m.ThreadTS != parent) {
			continue
		}
		// Slack always answers the parent first; the bounds apply to replies.
		if m.TS != parent && !w.holds(m.TS) {
			continue
		}
		if len(out) == w.limit {
			hasMore = true
			break
		}
		out = append(out, messageJSON(m))
	}
	return reply{"messages": out, "has_more": hasMore, "response_metadata": map[string]any{"next_cursor": ""}}
}

// window is the oldest, latest, inclusive and limit arguments of
// conversations.history and .replies.
type window struct {
	oldest, latest int64
	inclusive      bool
	limit          int
}

// readWindow reads c's window; limit is used when none (or a bad one) is given.
func readWindow(c Call, limit int) window {
	w := window{oldest: -1, latest: int64(1) << 62, limit: limit,
		inclusive: c.Param("inclusive") == "1" || c.Param("inclusive") == "true"}
	if v := c.Param("oldest"); v != "" {
		w.oldest = parseTS(v)
	}
	if v := c.Param("latest"); v != "" {
		w.latest = parseTS(v)
	}
	if n, err := strconv.Atoi(c.Param("limit")); err == nil && n > 0 {
		w.limit = n
	}
	return w
}

// holds says whether a message's ts falls within the window.
func (w window) holds(ts string) bool {
	t := parseTS(ts)
	return t >= w.oldest && t <= w.latest && (w.inclusive || (t != w.oldest && t != w.latest))
}

// visibleMessages is a copy of ch's messages; false when the channel is one
// the bot may not see (a private channel without it).
func (s *Server) visibleMessages(ch string) ([]Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hiddenLocked(ch) {
		return nil, false
	}
	return slices.Clone(s.messages[ch]), true
}

// storeResponse keeps a response_url post as a message of the channel the URL
// was issued for, and returns an error code when Slack would refuse it. For a
// URL issued with a message (NewMessageResponseURL), replace_original and
// delete_original change or remove that message, as in Slack; otherwise the
// post is appended.
func (s *Server) storeResponse(c Call) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	target, ok := s.respURLs[c.Params["id"]]
	if !ok {
		return "" // unknown URLs are only recorded
	}
	blocks, _ := rawParam(c, "blocks")
	if bytes.Equal(blocks, []byte("[]")) {
		blocks = nil // slack-go always sends the field
	}
	if ValidateBlocks(blocks, SurfaceMessage, "/blocks") != nil {
		return "invalid_blocks"
	}
	if target.channel == "" || c.JSON == nil {
		return ""
	}
	ch := dmChannel(target.channel)
	if target.ts != "" && (c.JSON["delete_original"] == true || c.JSON["replace_original"] == true) {
		i := slices.IndexFunc(s.messages[ch], func(m Message) bool { return m.TS == target.ts })
		if i < 0 {
			return ""
		}
		if c.JSON["delete_original"] == true {
			s.messages[ch] = slices.Delete(s.messages[ch], i, i+1)
			return ""
		}
		m := &s.messages[ch][i]
		m.Text, m.Blocks = c.Param("text"), blocks
		m.Edits++
		return ""
	}
	if c.JSON["delete_original"] == true {
		return ""
	}
	m := Message{Channel: ch, Text: c.Param("text"), ThreadTS: c.Param("thread_ts"), Via: "response_url", Blocks: blocks}
	if meta, ok := c.JSON["metadata"].(map[string]any); ok && meta["event_type"] != nil && meta["event_type"] != "" {
		m.Metadata, _ = rawParam(c, "metadata") // slack-go sends an empty one when unset
	}
	m.User = BotUserID
	if c.Param("response_type") != "in_channel" {
		m.User, m.Ephemeral = target.user, true
	}
	m.TS = s.nextTSLocked()
	s.messages[m.Channel] = append(s.messages[m.Channel], m)
	return ""
}
