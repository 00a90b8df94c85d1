// Package slackfake is a fake Slack for tests. It serves the Web API methods the
// bot uses and a Socket Mode websocket on 127.0.0.1, so the real slack-go client
// (including its socketmode package) can be pointed at it with
// slack.OptionAPIURL(s.APIURL()) and exercised over real sockets.
//
// Everything the client sends is recorded (Web API calls, acks, response_url
// posts, uploads) and every Wait method blocks on channels with a context, never
// on sleeps. Envelopes sent while no client is connected wait for one until
// their context ends.
package slackfake

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Identities the fake reports for its workspace and app.
const (
	TeamID    = "T0FAKE"
	TeamName  = "Fake Team"
	AppID     = "A0FAKE"
	BotID     = "B0FAKE"
	BotUserID = "U0FAKEBOT"
	BotName   = "salesbot"
)

// ErrClosed is returned by waits and sends once the server is closed.
var ErrClosed = errors.New("slackfake: server closed")

// DefaultPingInterval is how often the fake pings socket clients; it is well
// under slack-go's 30 s dead-man timer so idle tests never reconnect.
const DefaultPingInterval = 2 * time.Second

// Option configures a Server.
type Option func(*config)

type config struct {
	pingInterval   time.Duration
	strictUsers    bool
	strictTriggers bool
	spread         bool
	listener       net.Listener
	routes         []func(*http.ServeMux)
	teamID         string                          // auth.test's team_id; empty: TeamID
	wrap           func(http.Handler) http.Handler // around every route
}

// WithTeamID makes auth.test report team as the bot token's workspace, so a
// bot under test serves the workspace its test sends envelopes from.
func WithTeamID(team string) Option {
	return func(c *config) { c.teamID = team }
}

// WithHandlerWrap puts wrap around every route of the server (the fake's and
// WithRoutes'), for checks that apply to each request.
func WithHandlerWrap(wrap func(http.Handler) http.Handler) Option {
	return func(c *config) { c.wrap = wrap }
}

// WithPingInterval sets how often websocket ping frames are sent. Use it when
// the client under test runs with a short socketmode.OptionPingInterval.
func WithPingInterval(d time.Duration) Option {
	return func(c *config) { c.pingInterval = d }
}

// WithStrictUsers makes users.info answer user_not_found for users not added
// with AddUser, instead of inventing a default user.
func WithStrictUsers() Option {
	return func(c *config) { c.strictUsers = true }
}

// WithStrictTriggers makes views.open and views.push accept only trigger IDs
// the fake issued (SendSlashCommand, NewTriggerID), once each and within 3 s,
// as Slack does.
func WithStrictTriggers() Option {
	return func(c *config) { c.strictTriggers = true }
}

// Server is a running fake Slack. All methods are safe for concurrent use.
type Server struct {
	cfg  config
	http *httptest.Server
	base string // http://127.0.0.1:PORT

	closeOnce sync.Once
	closed    chan struct{}
	wg        sync.WaitGroup // websocket goroutines, which httptest does not track once hijacked

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every state change; see waitFor
	seq     int           // source of fresh IDs
	lastTS  int64         // last message ts in microseconds, so ts values strictly increase

	// socket state
	connects int                  // apps.connections.open calls
	sockets  int                  // websocket connections that were sent hello
	tickets  map[string]bool      // issued, unused websocket tickets
	conns    map[*conn]bool       // open websocket connections
	cur      *conn                // connection that receives new envelopes
	envs     map[string]*Envelope // sent envelopes by ID
	envOrder []string
	acks     []Ack
	acked    map[string]bool  // envelope IDs acked at least once
	sentOn   map[string]*conn // WithSpread: the connection each envelope went to
	stray    [][]byte         // client frames that were not acks

	ackWait  map[string]chan Ack // AckChan's waiters, told of the first ack
	firstAck map[string]int      // envelope ID -> index in acks of its first ack

	// recorded web traffic
	calls    []Call
	failures map[string]Failure

	// workspace state
	users    map[string]User
	channels map[string]Channel
	messages map[string][]Message // by channel, in ts order
	pins     map[string][]string  // channel -> pinned message ts, in pinning order
	views    map[string]*View     // by view ID
	homes    map[string]string    // user ID -> home view ID
	triggers map[string]time.Time // issued trigger IDs -> issue time; deleted when used
	respURLs map[string]respTarget
	files    map[string]*File
	fileIDs  []string
}

// New starts the fake on 127.0.0.1 and, when t is not nil, closes it when the
// test ends.
func New(t testing.TB, opts ...Option) *Server {
	s := &Server{
		cfg:      config{pingInterval: DefaultPingInterval},
		closed:   make(chan struct{}),
		changed:  make(chan struct{}),
		tickets:  map[string]bool{},
		conns:    map[*conn]bool{},
		envs:     map[string]*Envelope{},
		acked:    map[string]bool{},
		ackWait:  map[string]chan Ack{},
		firstAck: map[string]int{},
		sentOn:   map[string]*conn{},
		failures: map[string]Failure{},
		users:    map[string]User{},
		channels: map[string]Channel{},
		messages: map[string][]Message{},
		pins:     map[string][]string{},
		views:    map[string]*View{},
		homes:    map[string]string{},
		triggers: map[string]time.Time{},
		respURLs: map[string]respTarget{},
		files:    map[string]*File{},
	}
	for _, o := range opts {
		o(&s.cfg)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/{method}", s.handleAPI)
	mux.HandleFunc("GET /link/", s.handleLink)
	mux.HandleFunc("POST /response/{id}", s.handleResponseURL)
	mux.HandleFunc("POST /upload/{id}", s.handleUpload)
	for _, register := range s.cfg.routes {
		register(mux)
	}
	var h http.Handler = mux
	if s.cfg.wrap != nil {
		h = s.cfg.wrap(mux)
	}
	s.http = httptest.NewUnstartedServer(h)
	if l := s.cfg.listener; l != nil {
		s.http.Listener.Close()
		s.http.Listener = l
	}
	s.http.Start()
	s.base = s.http.URL
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

// APIURL is the Web API base with its trailing slash, for slack.OptionAPIURL.
func (s *Server) APIURL() string { return s.base + "/api/" }

// URL is the server's base URL, http://127.0.0.1:PORT.
func (s *Server) URL() string { return s.base }

// Close closes every websocket, stops the HTTP server and waits for all of the
// fake's goroutines. It is idempotent.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		close(s.closed)
		conns := make([]*conn, 0, len(s.conns))
		for c := range s.conns {
			conns = append(conns, c)
		}
		s.cur = nil
		s.broadcastLocked()
		s.mu.Unlock()
		for _, c := range conns {
			_ = c.ws.Close() // unblocks the reader, which then cleans up
		}
		s.http.CloseClientConnections()
		s.http.Close()
		s.wg.Wait()
	})
}

// track registers a goroutine with s.wg unless the server is closing; adding
// under mu guarantees no Add races with the Wait in Close.
func (s *Server) track() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.closed:
		return false
	default:
	}
	s.wg.Add(1)
	return true
}

// broadcastLocked wakes every waiter; s.mu must be held.
func (s *Server) broadcastLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// waitFor blocks until cond, evaluated with s.mu held, returns true, the
// context ends or the server closes.
func (s *Server) waitFor(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		if cond() {
			s.mu.Unlock()
			return nil
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		case <-s.closed:
			return ErrClosed
		}
	}
}

// waitMatch calls snapshot (with s.mu held) on every state change and returns
// the first item match (called without the lock, so it may use the Server)
// accepts.
func waitMatch[T any](ctx context.Context, s *Server, snapshot func() []T, match func(T) bool) (T, error) {
	for {
		s.mu.Lock()
		items := snapshot()
		ch := s.changed
		s.mu.Unlock()
		for _, it := range items {
			if match == nil || match(it) {
				return it, nil
			}
		}
		var zero T
		select {
		case <-ch:
		case <-ctx.Done():
			return zero, ctx.Err()
		case <-s.closed:
			return zero, ErrClosed
		}
	}
}

// nextIDLocked returns prefix followed by a fresh number; s.mu must be held.
func (s *Server) nextIDLocked(prefix string) string {
	s.seq++
	return fmt.Sprintf("%s%06d", prefix, s.seq)
}

func (s *Server) nextID(prefix string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nextIDLocked(prefix)
}

// nextTSLocked returns a message ts near the wall clock that is strictly
// greater than every ts before it, so `oldest`/`latest` filters behave.
func (s *Server) nextTSLocked() string {
	us := max(time.Now().UnixMicro(), s.lastTS+1)
	s.lastTS = us
	return fmt.Sprintf("%d.%06d", us/1e6, us%1e6)
}
