package slackfake

import (
	"slices"
	"strings"
)

// User is a workspace member that users.info reports.
type User struct {
	ID, TeamID, Name, RealName, TZ string
	TZOffset                       int // seconds east of UTC
	Deleted                        bool
	IsAdmin                        bool
}

// Channel is a conversation the fake knows; unknown channel IDs still work,
// with invented defaults.
type Channel struct {
	ID        string
	Name      string
	IsPrivate bool
	Members   []string // user IDs, for conversations.members and users.conversations
	// BotAbsent makes conversations.info say the bot is not a member.
	BotAbsent bool
	Archived  bool   // by conversations.archive or ArchiveChannel
	Creator   string // user ID, for channels made with conversations.create
	Created   int64  // Unix seconds
}

// AddUser adds or replaces a user for users.info. Empty TeamID means TeamID.
func (s *Server) AddUser(u User) {
	if u.TeamID == "" {
		u.TeamID = TeamID
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.ID] = u
}

// AddChannel adds or replaces a channel.
func (s *Server) AddChannel(ch Channel) {
	ch.Members = slices.Clone(ch.Members)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels[ch.ID] = ch
}

func (s *Server) usersInfo(c Call) reply {
	id := c.Param("user")
	s.mu.Lock()
	u, known := s.users[id]
	s.mu.Unlock()
	if id == "" || (!known && s.cfg.strictUsers) {
		return apiError("user_not_found")
	}
	if !known {
		u = User{ID: id, TeamID: TeamID, Name: strings.ToLower(id), RealName: "User " + id, TZ: "UTC"}
	}
	tz, label := u.TZ, u.TZ
	if tz == "" {
		tz, label = "UTC", "Coordinated Universal Time"
	}
	return reply{"user": map[string]any{
		"id": u.ID, "team_id": u.TeamID, "name": u.Name, "real_name": u.RealName,
		"deleted": u.Deleted, "is_admin": u.IsAdmin, "is_bot": false,
		"tz": tz, "tz_label": label, "tz_offset": u.TZOffset,
		"profile": map[string]any{"real_name": u.RealName, "display_name": u.Name,
			"real_name_normalized": u.RealName, "team": u.TeamID},
	}}
}

// channelLocked returns the known channel id, or invented defaults: a DM when
// the ID starts with D, else a public channel named after the ID.
func (s *Server) channelLocked(id string) Channel {
	if ch, ok := s.channels[id]; ok {
		return ch
	}
	if strings.HasPrefix(id, "D") {
		return Channel{ID: id, Members: []string{BotUserID, strings.TrimPrefix(id, "D")}}
	}
	return Channel{ID: id, Name: strings.ToLower(id)}
}

func channelJSON(ch Channel) map[string]any {
	im := strings.HasPrefix(ch.ID, "D")
	out := map[string]any{
		"id": ch.ID, "name": ch.Name, "is_channel": !im && !ch.IsPrivate, "is_group": false,
		"is_im": im, "is_mpim": false, "is_private": ch.IsPrivate || im, "is_member": !ch.BotAbsent,
		"is_archived": ch.Archived, "created": ch.Created,
	}
	if ch.Creator != "" {
		out["creator"] = ch.Creator
	}
	if im {
		out["user"] = strings.TrimPrefix(ch.ID, "D")
	}
	return out
}

// conversationsOpen answers the DM "D"+user for one user, as chat.postMessage
// does when posting to a user ID.
func (s *Server) conversationsOpen(c Call) reply {
	id := c.Param("channel")
	if users := c.Param("users"); id == "" && users != "" {
		list := strings.Split(users, ",")
		if len(list) > 1 {
			id = "G" + strings.Join(list, "")
		} else {
			id = dmChannel(list[0])
		}
	}
	if id == "" {
		return apiError("users_list_not_supplied")
	}
	s.mu.Lock()
	ch := s.channelLocked(id)
	s.mu.Unlock()
	return reply{"channel": channelJSON(ch), "no_op": false, "already_open": false}
}

func (s *Server) conversationsInfo(c Call) reply {
	id := c.Param("channel")
	if id == "" {
		return apiError("channel_not_found")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hiddenLocked(id) {
		return apiError("channel_not_found")
	}
	return reply{"channel": channelJSON(s.channelLocked(dmChannel(id)))}
}

func (s *Server) conversationsMembers(c Call) reply {
	id := c.Param("channel")
	if id == "" {
		return apiError("channel_not_found")
	}
	s.mu.Lock()
	members := slices.Clone(s.channelLocked(dmChannel(id)).Members)
	s.mu.Unlock()
	if members == nil {
		members = []string{}
	}
	return reply{"members": members, "response_metadata": map[string]any{"next_cursor": ""}}
}

// usersConversations lists the added channels that have the user (default:
// the bot) among their members, filtered by types.
func (s *Server) usersConversations(c Call) reply {
	user := c.Param("user")
	if user == "" {
		user = BotUserID
	}
	types := c.Param("types")
	if types == "" {
		types = "public_channel"
	}
	s.mu.Lock()
	var list []Channel
	for _, ch := range s.channels {
		if slices.Contains(ch.Members, user) {
			list = append(list, ch)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(list, func(a, b Channel) int { return strings.Compare(a.ID, b.ID) })
	out := []map[string]any{}
	for _, ch := range list {
		typ := "public_channel"
		switch {
		case strings.HasPrefix(ch.ID, "D"):
			typ = "im"
		case ch.IsPrivate:
			typ = "private_channel"
		}
		if strings.Contains(types, typ) {
			out = append(out, channelJSON(ch))
		}
	}
	return reply{"channels": out, "response_metadata": map[string]any{"next_cursor": ""}}
}
