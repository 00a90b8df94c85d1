package slackfake

// AckChan returns a channel that receives the first ack of the envelope
// with this ID (at once when it was acked already). Unlike WaitAck it wakes
// only for that ack, so many closed-loop senders can wait at once without
// each waking on every frame. One waiter per envelope: a second call for
// the same envelope replaces the first.
func (s *Server) AckChan(envelopeID string) <-chan Ack {
	ch := make(chan Ack, 1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if i, ok := s.firstAck[envelopeID]; ok {
		ch <- s.acks[i]
	} else {
		s.ackWait[envelopeID] = ch
	}
	return ch
}
