// Package simulator is a local Slack for trying salesbot without a
// workspace. It serves, on one address, the Slack side the bot talks to (the
// Web API and Socket Mode, from internal/slackfake, with Slack's trigger,
// user and Block Kit rules enforced) and a web page where a person picks who
// they are, types slash commands, fills modals and clicks buttons.
//
// The simulator knows nothing about salesbot's commands: it renders whatever
// Block Kit the bot sends and delivers whatever the person does as the
// envelopes Slack would send, so the bot runs exactly as it does in Slack.
package simulator

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"salesbot/internal/slackfake"
)

//go:embed static
var static embed.FS

// ackDeadline is how long Slack waits for an envelope's ack.
const ackDeadline = 3 * time.Second

// Options configure a simulator.
type Options struct {
	Addr     string       // host:port for the page and the fake Slack, e.g. 127.0.0.1:3000
	Manifest []byte       // the Slack app manifest, for the slash commands offered
	Log      *slog.Logger // nil: discard
	// Now is Slack's clock here: the time stamped on events and actions,
	// and the moment people's timezone offsets are taken at. Nil: time.Now.
	Now func() time.Time
}

// Server is a running simulator.
type Server struct {
	fake     *slackfake.Server
	log      *slog.Logger
	now      func() time.Time
	commands []Command
	// shortcuts and botEvents come from the manifest: the shortcuts offered
	// and the events the bot is sent.
	shortcuts []Shortcut
	botEvents map[string]bool

	ctx    context.Context // ends at Close: stops live streams and pending waits
	cancel context.CancelFunc
	wg     sync.WaitGroup // goroutines waiting for acks, and the watcher

	mu       sync.Mutex
	triggers map[string]string            // trigger ID -> user who caused it
	stacks   map[string][]string          // user -> modal view IDs, bottom first
	seen     map[string]bool              // view and file IDs already placed
	errs     map[string]map[string]string // view ID -> block ID -> inline error
	alerts   map[string]string            // view ID -> error shown atop the modal
	keeper   *keeper                      // nil until Attach: messages kept in memory only
	demo     DemoData                     // the "Add demo data" button's use case; nil: not offered
	leads    *leadsAPI                    // the "Leads from your website" panel's API and keys; nil: not offered
}

// Start listens on opts.Addr and serves until Close.
func Start(opts Options) (*Server, error) {
	l, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("simulator: listen on %s: %w", opts.Addr, err)
	}
	s := &Server{
		log:       opts.Log,
		now:       opts.Now,
		commands:  parseCommands(opts.Manifest),
		shortcuts: parseShortcuts(opts.Manifest),
		botEvents: parseBotEvents(opts.Manifest),
		triggers:  map[string]string{},
		stacks:    map[string][]string{},
		seen:      map[string]bool{},
		errs:      map[string]map[string]string{},
		alerts:    map[string]string{},
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	warnIfExposed(s.log, l.Addr())
	s.ctx, s.cancel = context.WithCancel(context.Background())
	// Strict users and triggers: the bot must use IDs and trigger_ids the way
	// Slack allows, or it would pass here and fail there.
	s.fake = slackfake.New(nil, slackfake.WithListener(l), slackfake.WithRoutes(s.routes),
		slackfake.WithStrictUsers(), slackfake.WithStrictTriggers(),
		slackfake.WithHandlerWrap(newGuard(l.Addr(), opts.Addr).wrap))
	seed(s.fake, s.now())
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.watch()
	}()
	return s, nil
}

// URL is the page's address, http://host:port/.
func (s *Server) URL() string { return s.fake.URL() + "/" }

// APIURL is the Web API base for SLACK_API_URL, with its trailing slash.
func (s *Server) APIURL() string { return s.fake.APIURL() }

// Fake is the Slack side, for tests that check what the bot was sent.
func (s *Server) Fake() *slackfake.Server { return s.fake }

// Close stops the page's live streams, the fake Slack and every goroutine of
// the simulator, waits for them, and writes the last changes when attached
// to a database.
func (s *Server) Close() {
	s.cancel()
	s.fake.Close()
	s.wg.Wait()
	// The last changes, made while the keeper was stopping.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s.keep(ctx)
}

func (s *Server) routes(mux *http.ServeMux) {
	files, _ := fs.Sub(static, "static")
	// One-segment paths only, so the page never shadows the fake's routes.
	mux.Handle("GET /{$}", http.FileServerFS(files))
	mux.Handle("GET /{file}", http.FileServerFS(files))
	mux.HandleFunc("GET /sim/workspace", s.handleWorkspace)
	mux.HandleFunc("GET /sim/state", s.handleState)
	mux.HandleFunc("GET /sim/events", s.handleEvents)
	mux.HandleFunc("GET /sim/files/{id}", s.handleFile)
	mux.HandleFunc("POST /sim/command", s.handleCommand)
	mux.HandleFunc("POST /sim/action", s.handleAction)
	mux.HandleFunc("POST /sim/submit", s.handleSubmit)
	mux.HandleFunc("POST /sim/close", s.handleClose)
	mux.HandleFunc("POST /sim/home", s.handleHome)
	mux.HandleFunc("POST /sim/shortcut", s.handleShortcut)
	mux.HandleFunc("POST /sim/channel", s.handleChannel)
	mux.HandleFunc("POST /sim/demo-data", s.handleDemoData)
	mux.HandleFunc("GET /sim/leads", s.handleLeads)
}

// go runs fn in a goroutine that Close waits for.
func (s *Server) goTracked(fn func()) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		fn()
	}()
}

// waitAck waits for the bot to ack an envelope within Slack's deadline.
func (s *Server) waitAck(envID string) (slackfake.Ack, error) {
	ctx, cancel := context.WithTimeout(s.ctx, ackDeadline)
	defer cancel()
	ack, err := s.fake.WaitAck(ctx, envID)
	if errors.Is(err, context.DeadlineExceeded) {
		return ack, errTimeout
	}
	return ack, err
}

var errTimeout = errors.New("operation_timeout")

// slackbot posts what Slack itself would tell the user, as an ephemeral
// message from Slackbot.
func (s *Server) slackbot(channel, user, text string) {
	s.fake.AddMessage(slackfake.Message{Channel: channel, User: user, Ephemeral: true, Text: text, Via: "slackbot"})
}
