package slackfake

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The channel-managing methods (conversations.create, invite, rename,
// archive, pins.add) check their arguments as Slack does and answer its error
// codes. Unlike the read methods, they act only on channels the fake knows
// (AddChannel or conversations.create): an unknown ID is channel_not_found.

// maxChannelName is Slack's limit on a channel name, in characters.
const maxChannelName = 80

// ChannelNameError returns the error code Slack answers for name in
// conversations.create and conversations.rename, or "" when it is valid:
// at most 80 characters, only lowercase letters, digits, hyphens and
// underscores, and not punctuation alone.
func ChannelNameError(name string) string {
	switch {
	case name == "":
		return "invalid_name_required"
	case utf8.RuneCountInString(name) > maxChannelName:
		return "invalid_name_maxlength"
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return "invalid_name_specials"
		}
	}
	if strings.Trim(name, "-_") == "" {
		return "invalid_name_punctuation"
	}
	return ""
}

// nameTakenLocked reports whether a channel other than except is called
// name; archived channels keep their names, as in Slack.
func (s *Server) nameTakenLocked(name, except string) bool {
	for id, ch := range s.channels {
		if id != except && ch.Name == name {
			return true
		}
	}
	return false
}

// botIn is what conversations.info reports as is_member.
func botIn(ch Channel) bool { return !ch.BotAbsent }

// hiddenLocked reports whether id is a private channel the bot is not in:
// Slack answers channel_not_found for it, as if it did not exist.
func (s *Server) hiddenLocked(id string) bool {
	ch, ok := s.channels[id]
	return ok && ch.IsPrivate && !botIn(ch)
}

// knownChannelLocked returns a channel the fake knows and whether the bot
// may change it, or the error code Slack answers.
func (s *Server) knownChannelLocked(id string) (Channel, string) {
	ch, ok := s.channels[id]
	switch {
	case id == "" || !ok:
		return ch, "channel_not_found"
	case ch.Archived:
		return ch, "is_archived"
	case !botIn(ch):
		return ch, "not_in_channel"
	}
	return ch, ""
}

func (s *Server) conversationsCreate(c Call) reply {
	name := c.Param("name")
	if code := ChannelNameError(name); code != "" {
		return apiError(code)
	}
	private := c.Param("is_private") == "true" || c.Param("is_private") == "1"
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.nameTakenLocked(name, "") {
		return apiError("name_taken")
	}
	ch := Channel{ID: s.nextIDLocked("C"), Name: name, IsPrivate: private, Members: []string{BotUserID},
		Creator: BotUserID, Created: time.Now().Unix()}
	s.channels[ch.ID] = ch
	s.broadcastLocked()
	return reply{"channel": channelJSON(ch)}
}

// conversationsInvite adds every user or, when one of them cannot be added,
// none, answering that user's error.
func (s *Server) conversationsInvite(c Call) reply {
	var users []string
	for _, u := range strings.Split(c.Param("users"), ",") {
		if u = strings.TrimSpace(u); u != "" {
			users = append(users, u)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, code := s.knownChannelLocked(c.Param("channel"))
	if code != "" {
		return apiError(code)
	}
	if len(users) == 0 {
		return apiError("no_user")
	}
	for _, u := range users {
		_, known := s.users[u]
		switch {
		case u == BotUserID:
			return apiError("cant_invite_self")
		case !(strings.HasPrefix(u, "U") || strings.HasPrefix(u, "W")) || (!known && s.cfg.strictUsers):
			return apiError("user_not_found")
		case s.users[u].Deleted:
			return apiError("user_is_deactivated")
		case slices.Contains(ch.Members, u):
			return apiError("already_in_channel")
		}
	}
	ch.Members = append(slices.Clone(ch.Members), users...)
	s.channels[ch.ID] = ch
	s.broadcastLocked()
	return reply{"channel": channelJSON(ch)}
}

func (s *Server) conversationsRename(c Call) reply {
	name := c.Param("name")
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, code := s.knownChannelLocked(c.Param("channel"))
	if code != "" {
		return apiError(code)
	}
	if code := ChannelNameError(name); code != "" {
		return apiError(code)
	}
	if s.nameTakenLocked(name, ch.ID) {
		return apiError("name_taken")
	}
	ch.Name = name
	s.channels[ch.ID] = ch
	s.broadcastLocked()
	return reply{"channel": channelJSON(ch)}
}

func (s *Server) conversationsArchive(c Call) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, code := s.knownChannelLocked(c.Param("channel"))
	if code == "is_archived" {
		code = "already_archived"
	}
	if code != "" {
		return apiError(code)
	}
	ch.Archived = true
	s.channels[ch.ID] = ch
	s.broadcastLocked()
	return reply{}
}

// pinsAdd pins a stored, non-ephemeral message. DMs and channels the fake
// does not know take pins too, like the other message methods.
func (s *Server) pinsAdd(c Call) reply {
	id, ts := dmChannel(c.Param("channel")), c.Param("timestamp")
	if id == "" {
		return apiError("channel_not_found")
	}
	if ts == "" {
		return apiError("no_item_specified")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, known := s.channels[id]; known {
		if _, code := s.knownChannelLocked(id); code != "" {
			return apiError(code)
		}
	}
	if s.findLocked(id, ts) < 0 {
		return apiError("message_not_found")
	}
	if slices.Contains(s.pins[id], ts) {
		return apiError("already_pinned")
	}
	s.pins[id] = append(s.pins[id], ts)
	s.broadcastLocked()
	return reply{}
}

// Pins returns the ts of the messages pinned in channel, in pinning order.
func (s *Server) Pins(channel string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.pins[dmChannel(channel)])
}

// Channel returns a channel the fake knows, with its current name, members
// and archived state.
func (s *Server) Channel(id string) (Channel, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, ok := s.channels[id]
	ch.Members = slices.Clone(ch.Members)
	return ch, ok
}
