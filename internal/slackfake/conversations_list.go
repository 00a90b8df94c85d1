package slackfake

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
)

// conversations.list pages, as Slack does: limit defaults to 100 and is
// capped at 1000.
const (
	listLimitDefault = 100
	listLimitMost    = 1000
)

// conversationType is the conversations.list type of ch.
func conversationType(ch Channel) string {
	switch {
	case strings.HasPrefix(ch.ID, "D"):
		return "im"
	case ch.IsPrivate:
		return "private_channel"
	}
	return "public_channel"
}

// conversationsList lists the workspace's channels of the types asked for
// (default public_channel), ordered by ID and paged with an opaque cursor
// in response_metadata.next_cursor ("" on the last page). Public channels
// are listed whether or not the bot is in them; private channels and DMs
// only when it is, as for a bot token in Slack. Archived channels are
// listed unless exclude_archived.
func (s *Server) conversationsList(c Call) reply {
	types := map[string]bool{}
	for _, t := range strings.Split(c.Param("types"), ",") {
		switch t = strings.TrimSpace(t); t {
		case "":
		case "public_channel", "private_channel", "im", "mpim":
			types[t] = true
		default:
			return apiError("invalid_types")
		}
	}
	if len(types) == 0 {
		types["public_channel"] = true
	}
	limit := listLimitDefault
	if l := c.Param("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 0 {
			return apiError("invalid_limit")
		}
		if n > 0 {
			limit = min(n, listLimitMost)
		}
	}
	after := ""
	if cur := c.Param("cursor"); cur != "" {
		b, err := base64.StdEncoding.DecodeString(cur)
		if err != nil || !strings.HasPrefix(string(b), "id:") {
			return apiError("invalid_cursor")
		}
		after = strings.TrimPrefix(string(b), "id:")
	}
	excludeArchived := c.Param("exclude_archived") == "true" || c.Param("exclude_archived") == "1"
	s.mu.Lock()
	var list []Channel
	for _, ch := range s.channels {
		typ := conversationType(ch)
		switch {
		case !types[typ], ch.ID <= after, excludeArchived && ch.Archived, typ != "public_channel" && !botIn(ch):
			continue
		}
		list = append(list, ch)
	}
	s.mu.Unlock()
	slices.SortFunc(list, func(a, b Channel) int { return strings.Compare(a.ID, b.ID) })
	next := ""
	if len(list) > limit {
		list = list[:limit]
		next = base64.StdEncoding.EncodeToString([]byte("id:" + list[limit-1].ID))
	}
	out := []map[string]any{}
	for _, ch := range list {
		out = append(out, channelJSON(ch))
	}
	return reply{"channels": out, "response_metadata": map[string]any{"next_cursor": next}}
}
