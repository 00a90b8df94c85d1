package slackfake

import (
	"slices"
	"strconv"
	"strings"
)

// Restore puts back messages and files kept from an earlier run (the
// simulator keeps them in its database), before anything new is posted:
// new message timestamps come after the restored ones, and new IDs never
// repeat a restored file's.
func (s *Server) Restore(msgs []Message, files []File) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range msgs {
		m.Channel = dmChannel(m.Channel)
		m.Files = slices.Clone(m.Files)
		s.messages[m.Channel] = append(s.messages[m.Channel], m)
		s.lastTS = max(s.lastTS, parseTS(m.TS))
	}
	for ch := range s.messages {
		slices.SortStableFunc(s.messages[ch], func(a, b Message) int { return compareTS(a.TS, b.TS) })
	}
	for _, f := range files {
		f.Data = slices.Clone(f.Data)
		if _, ok := s.files[f.ID]; !ok {
			s.fileIDs = append(s.fileIDs, f.ID)
		}
		s.files[f.ID] = &f
		// IDs are a prefix and the sequence number (nextIDLocked).
		if n, err := strconv.Atoi(strings.TrimLeft(f.ID, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")); err == nil {
			s.seq = max(s.seq, n)
		}
	}
	s.broadcastLocked()
}
