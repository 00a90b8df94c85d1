package slackfake

import (
	"context"
	"math/rand/v2"
	"slices"
	"time"
)

// redeliverWait bounds how long an envelope left unacked by a closed
// connection waits for another connection.
const redeliverWait = time.Minute

// WithSpread makes the fake behave as Slack does with an app that has several
// Socket Mode connections (replicas): every connection that was sent hello and
// not told to disconnect receives envelopes, each envelope going to one of
// them chosen at random, and acks count from whichever connection sends them.
// An envelope sent on a connection that closes before acking it is
// redelivered to another connection, with retry_attempt incremented.
func WithSpread() Option {
	return func(c *config) { c.spread = true }
}

// WaitConnections blocks until n clients are connected and live (sent hello,
// not told to disconnect).
func (s *Server) WaitConnections(ctx context.Context, n int) error {
	return s.waitFor(ctx, func() bool { return s.liveCountLocked() >= n })
}

// Acked reports whether the envelope with this ID was acked.
func (s *Server) Acked(envelopeID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.acked[envelopeID]
}

func (s *Server) liveCountLocked() int {
	n := 0
	for c := range s.conns {
		if !c.retired {
			n++
		}
	}
	return n
}

// randomLiveLocked is a live connection chosen at random, or nil.
func (s *Server) randomLiveLocked() *conn {
	live := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		if !c.retired {
			live = append(live, c)
		}
	}
	if len(live) == 0 {
		return nil
	}
	return live[rand.IntN(len(live))]
}

// anyLiveLocked is the newest live connection under WithSpread, so that
// Disconnect and DropConnection have a current one to act on; nil without
// WithSpread, where only the newest connection receives envelopes.
func (s *Server) anyLiveLocked() *conn {
	if !s.cfg.spread {
		return nil
	}
	return s.randomLiveLocked()
}

// retire stops sending envelopes to c.
func (s *Server) retire(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.retired = true
	s.broadcastLocked()
}

func (s *Server) noteSent(id string, c *conn) {
	if !s.cfg.spread {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sentOn[id] = c
}

// unackedOnLocked returns, in sending order, the envelopes sent on c that
// were never acked, and forgets where they went.
func (s *Server) unackedOnLocked(c *conn) []string {
	if !s.cfg.spread {
		return nil
	}
	var ids []string
	for id, on := range s.sentOn {
		if on != c {
			continue
		}
		delete(s.sentOn, id)
		if !s.acked[id] {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(a, b string) int { return s.envs[a].SentAt.Compare(s.envs[b].SentAt) })
	return ids
}

// redeliver sends ids again on other connections, in the background.
func (s *Server) redeliver(ids []string) {
	if len(ids) == 0 || !s.track() {
		return
	}
	go func() {
		defer s.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), redeliverWait)
		defer cancel()
		for _, id := range ids {
			if _, err := s.Redeliver(ctx, id, "timeout"); err != nil {
				return // closed, or nobody reconnected
			}
		}
	}()
}
