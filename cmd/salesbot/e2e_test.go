package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"salesbot/config"
	"salesbot/internal/pgtest"
	"salesbot/internal/slackfake"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// harness is one running salesbot, wired exactly as `salesbot run` wires it,
// talking to a fake Slack over real sockets and to a real Postgres.
type harness struct {
	t    *testing.T
	ctx  context.Context
	fake *slackfake.Server
	svc  *service
	team string
}

func setup(t *testing.T, opts ...serviceOption) *harness {
	t.Helper()
	h, _, _ := startHarness(t, harnessSpec{opts: opts})
	return h
}

// harnessSpec is what tests vary about a harness: the Slack tokens, where
// the service logs (default: the test's log), and how it is wired.
type harnessSpec struct {
	botToken, appToken string
	logs               io.Writer
	opts               []serviceOption
	env                map[string]string // more environment, such as API_ADDR
}

// startHarness starts salesbot as spec says, on the package's database
// (dbURL) and a fake Slack; stop shuts it down and waits, and runs anyway
// when the test ends.
func startHarness(t *testing.T, spec harnessSpec) (h *harness, dbURL string, stop func()) {
	t.Helper()
	if spec.botToken == "" {
		spec.botToken, spec.appToken = "xoxb-test", "xapp-test"
	}
	if spec.logs == nil {
		spec.logs = testWriter{t}
	}
	dbURL = pgtest.URL(t)
	// The bot token's workspace is the test's own: the bot works only its
	// jobs, and tests sharing the database stay apart.
	team := pgtest.TeamID()
	fake := slackfake.New(t, slackfake.WithTeamID(team))
	env := map[string]string{
		"SLACK_BOT_TOKEN": spec.botToken,
		"SLACK_APP_TOKEN": spec.appToken,
		"SLACK_API_URL":   fake.APIURL(),
		"DATABASE_URL":    dbURL,
		"HTTP_ADDR":       "127.0.0.1:0",
		"SALESBOT_ADMINS": "U0ADMIN",
	}
	maps.Copy(env, spec.env)
	cfg, err := config.Load(func(k string) string { return env[k] }, true)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	log := slog.New(slog.NewTextHandler(spec.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	svc, err := startService(ctx, cfg, log, spec.opts...)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	runCtx, cancelRun := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- svc.serve(runCtx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancelRun()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
			svc.close()
			cancel()
		})
	}
	t.Cleanup(stop)
	if err := fake.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, ctx: ctx, fake: fake, svc: svc, team: team}, dbURL, stop
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// slash sends a slash command as user and returns its ack and trigger_id.
func (h *harness) slash(user, command, text string) (slackfake.Ack, string) {
	h.t.Helper()
	id, p := h.sendSlashEcho(user, command, text)
	return h.ack(id), p.TriggerID
}

// slashEcho is what the bot gets with a slash command that tests use again.
type slashEcho struct {
	TriggerID   string `json:"trigger_id"`
	ResponseURL string `json:"response_url"`
}

// sendSlashEcho delivers a slash command without waiting for its ack and
// returns the envelope ID and the command's trigger_id and response_url.
func (h *harness) sendSlashEcho(user, command, text string) (string, slashEcho) {
	h.t.Helper()
	id, err := h.fake.SendSlashCommand(h.ctx, slackfake.SlashCommand{
		TeamID: h.team, ChannelID: "C0SALES", UserID: user, UserName: strings.ToLower(user), Command: command, Text: text,
	})
	if err != nil {
		h.t.Fatal(err)
	}
	env, _ := h.fake.Envelope(id)
	var p slashEcho
	json.Unmarshal(env.Payload, &p)
	return id, p
}

func (h *harness) ack(id string) slackfake.Ack {
	h.t.Helper()
	ack, err := h.fake.WaitAck(h.ctx, id)
	if err != nil {
		h.t.Fatalf("no ack for %s: %v", id, err)
	}
	if ack.Latency > 3*time.Second {
		h.t.Errorf("envelope %s acked after %v, Slack's deadline is 3s", id, ack.Latency)
	}
	return ack
}

// openLeadModal types /lead new <company> and returns the modal Slack opened.
func (h *harness) openLeadModal(user, company string) slack.View {
	h.t.Helper()
	_, trigger := h.slash(user, "/lead", "new "+company)
	call, err := h.fake.WaitCall(h.ctx, "views.open", func(c slackfake.Call) bool { return c.Param("trigger_id") == trigger })
	if err != nil {
		h.t.Fatalf("views.open never called: %v", err)
	}
	var req struct {
		View slack.View `json:"view"`
	}
	if err := json.Unmarshal(call.Body, &req); err != nil {
		h.t.Fatalf("views.open body: %v", err)
	}
	for _, v := range h.fake.Views() {
		if v.TriggerID == trigger {
			req.View.ID, req.View.Hash = v.ID, v.Hash
		}
	}
	if req.View.ID == "" {
		h.t.Fatal("the fake has no view for the trigger")
	}
	return req.View
}

// initialValue is what an input shows when the modal opens.
func initialValue(el slack.BlockElement) string {
	switch el := el.(type) {
	case *slack.PlainTextInputBlockElement:
		return el.InitialValue
	case *slack.EmailTextInputBlockElement:
		return el.InitialValue
	case *slack.DatePickerBlockElement:
		return el.InitialDate
	case *slack.CheckboxGroupsBlockElement:
		if len(el.InitialOptions) > 0 {
			return el.InitialOptions[0].Value
		}
	case *slack.MultiSelectBlockElement:
		if len(el.InitialOptions) > 0 {
			return el.InitialOptions[0].Value
		}
	case *slack.SelectBlockElement:
		if el.InitialOption != nil {
			return el.InitialOption.Value
		}
		if el.InitialChannel != "" {
			return el.InitialChannel
		}
		return el.InitialUser
	}
	return ""
}

// ticked is what a checkboxes input sends: its initial options when the
// test leaves it alone, else the options named in v, comma-separated, by
// label or value ("Monday,Tuesday"; a value no option has is sent as is).
func ticked(el *slack.CheckboxGroupsBlockElement, v string, given bool) []map[string]any {
	var sel []map[string]any
	add := func(value, label string) {
		sel = append(sel, map[string]any{"value": value, "text": map[string]any{"type": "plain_text", "text": label}})
	}
	if !given {
		for _, o := range el.InitialOptions {
			add(o.Value, o.Text.Text)
		}
		return sel
	}
	for w := range strings.SplitSeq(v, ",") {
		if w = strings.TrimSpace(w); w == "" {
			continue
		}
		found := false
		for _, o := range el.Options {
			if strings.EqualFold(o.Text.Text, w) || o.Value == w {
				add(o.Value, o.Text.Text)
				found = true
				break
			}
		}
		if !found {
			add(w, w)
		}
	}
	return sel
}

// submit fills the modal's inputs by their labels, using the view's own
// block and action IDs, and delivers the view_submission; it returns the ack.
func (h *harness) submit(user string, view slack.View, byLabel map[string]string) (slackfake.Ack, string) {
	h.t.Helper()
	values := map[string]map[string]any{}
	for _, b := range view.Blocks.BlockSet {
		in, ok := b.(*slack.InputBlock)
		if !ok {
			continue
		}
		v, given := byLabel[in.Label.Text]
		if !given {
			// Slack sends what an input was opened with when nobody changed it.
			if v = initialValue(in.Element); v == "" {
				continue
			}
		}
		action := map[string]any{}
		var actionID, kind string
		switch el := in.Element.(type) {
		case *slack.PlainTextInputBlockElement:
			actionID, kind = el.ActionID, "plain_text_input"
			action["value"] = v
		case *slack.EmailTextInputBlockElement:
			actionID, kind = el.ActionID, "email_text_input"
			action["value"] = v
		case *slack.DatePickerBlockElement:
			actionID, kind = el.ActionID, "datepicker"
			action["selected_date"] = v
		case *slack.CheckboxGroupsBlockElement:
			actionID, kind = el.ActionID, "checkboxes"
			action["selected_options"] = ticked(el, v, given)
		case *slack.MultiSelectBlockElement:
			// Chosen like checkboxes: its initial options, or those named in v.
			actionID, kind = el.ActionID, el.Type
			action["selected_options"] = ticked(&slack.CheckboxGroupsBlockElement{Options: el.Options, InitialOptions: el.InitialOptions}, v, given)
		case *slack.SelectBlockElement:
			actionID, kind = el.ActionID, el.Type
			if el.Type == slack.OptTypeUser {
				action["selected_user"] = v
			} else if el.Type == slack.OptTypeChannels {
				action["selected_channel"] = v
			} else {
				action["selected_option"] = map[string]any{"value": v, "text": map[string]any{"type": "plain_text", "text": v}}
			}
		default:
			h.t.Fatalf("input %q has an element the test cannot fill: %T", in.Label.Text, in.Element)
		}
		action["type"] = kind
		values[in.BlockID] = map[string]any{actionID: action}
	}
	payload := map[string]any{
		"type":       "view_submission",
		"team":       map[string]any{"id": h.team, "domain": "acme"},
		"user":       map[string]any{"id": user, "team_id": h.team},
		"api_app_id": slackfake.AppID,
		"trigger_id": h.fake.NewTriggerID(),
		"view": map[string]any{
			"id": view.ID, "hash": view.Hash, "type": "modal", "team_id": h.team,
			"callback_id": view.CallbackID, "private_metadata": view.PrivateMetadata,
			"state": map[string]any{"values": values},
		},
	}
	id, err := h.fake.SendInteraction(h.ctx, payload)
	if err != nil {
		h.t.Fatal(err)
	}
	return h.ack(id), id
}

func (h *harness) count(query string, args ...any) int {
	h.t.Helper()
	var n int
	if err := h.svc.db.GetContext(h.ctx, &n, query, args...); err != nil {
		h.t.Fatalf("%s: %v", query, err)
	}
	return n
}

func (h *harness) metrics() string {
	resp, err := http.Get("http://" + h.svc.ops.Addr() + "/metrics")
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// blockText is every string in a Block Kit payload, joined: what a person
// could read in it.
func blockText(raw json.RawMessage) string {
	var v any
	json.Unmarshal(raw, &v)
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			b.WriteString(x)
			b.WriteByte('\n')
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return b.String()
}
