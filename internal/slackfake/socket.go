package slackfake

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// writeTimeout bounds every websocket write so a client that stopped reading
// cannot hang a test.
const writeTimeout = 5 * time.Second

// The real client sends Origin https://api.slack.com, which gorilla's default
// same-origin check would reject.
var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

// conn is one Socket Mode websocket. gorilla allows one concurrent writer, so
// every write goes through wmu.
type conn struct {
	ws   *websocket.Conn
	wmu  sync.Mutex
	done chan struct{} // closed when the read loop ends
	// retired (under Server.mu) connections get no new envelopes: told to
	// disconnect, dropped, or (without WithSpread) replaced by a newer one.
	retired bool
}

func (c *conn) write(data []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.ws.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil {
		return err
	}
	return c.ws.WriteMessage(websocket.TextMessage, data)
}

func (c *conn) writeJSON(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.write(data)
}

// pingLoop sends websocket pings until the connection ends: slack-go treats a
// connection without pings as dead and reconnects.
func (c *conn) pingLoop(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
			c.wmu.Lock()
			err := c.ws.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(writeTimeout))
			c.wmu.Unlock()
			if err != nil {
				return // the read loop notices the broken connection
			}
		}
	}
}

// handleLink upgrades a websocket opened with a ticket from
// apps.connections.open, sends hello and makes it the connection that receives
// new envelopes. Older connections are not closed, only retired: they keep
// delivering acks until their client closes them, so two bot instances in one
// test cannot kick each other off in a loop.
func (s *Server) handleLink(w http.ResponseWriter, r *http.Request) {
	ticket := r.URL.Query().Get("ticket")
	s.mu.Lock()
	valid := s.tickets[ticket]
	delete(s.tickets, ticket)
	s.mu.Unlock()
	if !valid {
		http.Error(w, "invalid or used ticket", http.StatusUnauthorized)
		return
	}
	if !s.track() {
		http.Error(w, "server closed", http.StatusServiceUnavailable)
		return
	}
	defer s.wg.Done()

	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has already answered the request
	}
	c := &conn{ws: ws, done: make(chan struct{})}

	s.mu.Lock()
	n := len(s.conns) + 1
	s.mu.Unlock()
	hello := map[string]any{
		"type":            "hello",
		"num_connections": n,
		"connection_info": map[string]any{"app_id": AppID},
		"debug_info":      map[string]any{"host": "slackfake", "approximate_connection_time": 3600},
	}
	if err := c.writeJSON(hello); err != nil {
		_ = ws.Close()
		return
	}

	s.mu.Lock()
	select {
	case <-s.closed:
		s.mu.Unlock()
		_ = ws.Close()
		return
	default:
	}
	s.conns[c] = true
	if s.cur != nil && !s.cfg.spread {
		s.cur.retired = true
	}
	s.cur = c
	s.sockets++
	s.broadcastLocked()
	s.wg.Add(1) // safe: this handler's own count keeps the counter above zero
	s.mu.Unlock()

	go func() {
		defer s.wg.Done()
		c.pingLoop(s.cfg.pingInterval)
	}()
	s.readLoop(c)
}

// readLoop records every frame the client sends until the connection breaks.
func (s *Server) readLoop(c *conn) {
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			break
		}
		s.recordFrame(data)
	}
	close(c.done)
	_ = c.ws.Close()
	s.mu.Lock()
	delete(s.conns, c)
	c.retired = true
	if s.cur == c {
		s.cur = s.anyLiveLocked()
	}
	unacked := s.unackedOnLocked(c)
	s.broadcastLocked()
	s.mu.Unlock()
	s.redeliver(unacked)
}

// WaitConnected blocks until a socket client is connected and has been sent
// hello (and was not since told to disconnect).
func (s *Server) WaitConnected(ctx context.Context) error {
	return s.waitFor(ctx, func() bool { return s.cur != nil })
}

// Connected reports whether a socket client is currently connected.
func (s *Server) Connected() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur != nil
}

// Connects is how many times apps.connections.open was called, failed calls
// included.
func (s *Server) Connects() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.connects
}

// Sockets is how many websocket connections were accepted and sent hello.
func (s *Server) Sockets() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sockets
}

// Disconnect sends {"type":"disconnect","reason":reason} to the current
// client and retires its connection at once, so envelopes sent afterwards wait
// for the client to reconnect through apps.connections.open. It fails when no
// client is connected.
func (s *Server) Disconnect(reason string) error {
	s.mu.Lock()
	c := s.cur
	if c != nil {
		c.retired = true
	}
	s.cur = s.anyLiveLocked()
	s.broadcastLocked()
	s.mu.Unlock()
	if c == nil {
		return errors.New("slackfake: no socket client connected")
	}
	return c.writeJSON(map[string]any{
		"type":       "disconnect",
		"reason":     reason,
		"debug_info": map[string]any{"host": "slackfake"},
	})
}

// DropConnection closes the current websocket abruptly, without a disconnect
// message, as a network failure would.
func (s *Server) DropConnection() error {
	s.mu.Lock()
	c := s.cur
	if c != nil {
		c.retired = true
	}
	s.cur = s.anyLiveLocked()
	s.broadcastLocked()
	s.mu.Unlock()
	if c == nil {
		return errors.New("slackfake: no socket client connected")
	}
	return c.ws.Close()
}

// currentConn waits for a connected client; see the Send methods. With
// WithSpread it is any live connection, chosen at random.
func (s *Server) currentConn(ctx context.Context) (*conn, error) {
	var c *conn
	err := s.waitFor(ctx, func() bool {
		if s.cfg.spread {
			c = s.randomLiveLocked()
		} else {
			c = s.cur
		}
		return c != nil
	})
	if err != nil {
		return nil, errors.Join(errors.New("slackfake: no socket client connected"), err)
	}
	return c, nil
}
