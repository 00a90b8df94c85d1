package simulator

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"salesbot"
)

func TestParseCommandsReadsTheManifest(t *testing.T) {
	cmds := parseCommands(salesbot.Manifest)
	var names []string
	for _, c := range cmds {
		names = append(names, c.Command)
		if c.Description == "" || c.UsageHint == "" {
			t.Errorf("%s has no description or usage hint: %+v", c.Command, c)
		}
	}
	if got, want := len(names), 4; got != want || names[0] != "/lead" || names[3] != "/salesbot" {
		t.Fatalf("commands = %v", names)
	}
}

// stubBot is a tiny Socket Mode app on the real slack-go client: /form opens
// a modal; its first submission is answered with an inline error, the
// second closes it.
func stubBot(t *testing.T, ctx context.Context, apiURL string) {
	api := slack.New("xoxb-test", slack.OptionAppLevelToken("xapp-test"), slack.OptionAPIURL(apiURL))
	client := socketmode.New(api)
	var submissions atomic.Int32
	go func() { _ = client.RunContext(ctx) }()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case evt := <-client.Events:
				switch data := evt.Data.(type) {
				case slack.SlashCommand:
					client.Ack(*evt.Request)
					input := slack.NewInputBlock("email", slack.NewTextBlockObject("plain_text", "Email", false, false), nil,
						slack.NewEmailTextInputBlockElement(nil, "email"))
					_, err := api.OpenViewContext(ctx, data.TriggerID, slack.ModalViewRequest{Type: slack.VTModal,
						Title:  slack.NewTextBlockObject("plain_text", "Form", false, false),
						Submit: slack.NewTextBlockObject("plain_text", "Send", false, false),
						Blocks: slack.Blocks{BlockSet: []slack.Block{input}}})
					if err != nil {
						t.Errorf("views.open: %v", err)
					}
				case slack.InteractionCallback:
					if submissions.Add(1) == 1 {
						client.Ack(*evt.Request, slack.NewErrorsViewSubmissionResponse(map[string]string{"email": "Not an email."}))
					} else {
						client.Ack(*evt.Request)
					}
				}
			}
		}
	}()
}

func TestModalErrorsThenClose(t *testing.T) {
	s, err := Start(Options{Addr: "127.0.0.1:0", Manifest: []byte("features:\n  slash_commands:\n    - command: /form\n")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	stubBot(t, ctx, s.APIURL())
	if err := s.Fake().WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
	post(t, s, "/sim/command", map[string]any{"user": "U03SAM", "channel": "C01SALES", "text": "/form"})
	st := waitState(t, ctx, s, func(st state) bool { return st.Modal != nil })
	var view struct{ ID string }
	json.Unmarshal(st.Modal.View, &view)

	values := map[string]any{"email": map[string]any{"email": map[string]any{"type": "email_text_input", "value": "nope"}}}
	if r := post(t, s, "/sim/submit", map[string]any{"user": "U03SAM", "view_id": view.ID, "values": values}); r["result"] != "errors" {
		t.Fatalf("first submit = %v, want errors", r)
	}
	if st := getState(t, s); st.Modal == nil || st.Modal.Errors["email"] != "Not an email." {
		t.Fatalf("modal after errors = %+v", st.Modal)
	}
	env := s.Fake().Envelopes()
	var p struct {
		Type string
		View struct {
			State struct {
				Values map[string]map[string]map[string]any
			}
		}
	}
	json.Unmarshal(env[len(env)-1].Payload, &p)
	if p.Type != "view_submission" || p.View.State.Values["email"]["email"]["value"] != "nope" {
		t.Errorf("view_submission payload = %s", env[len(env)-1].Payload)
	}
	if r := post(t, s, "/sim/submit", map[string]any{"user": "U03SAM", "view_id": view.ID, "values": values}); r["result"] != "closed" {
		t.Fatalf("second submit = %v, want closed", r)
	}
	if st := getState(t, s); st.Modal != nil {
		t.Fatalf("the modal is still open: %+v", st.Modal)
	}
}

func post(t *testing.T, s *Server, path string, body any) map[string]any {
	t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(s.fake.URL()+path, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out
}

func getState(t *testing.T, s *Server) state {
	t.Helper()
	resp, err := http.Get(s.fake.URL() + "/sim/state?user=U03SAM&channel=C01SALES")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st state
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

// waitState fetches the state after every change until ok accepts it.
func waitState(t *testing.T, ctx context.Context, s *Server, ok func(state) bool) state {
	t.Helper()
	for {
		changed := s.fake.Changes()
		if st := getState(t, s); ok(st) {
			return st
		}
		select {
		case <-changed:
		case <-ctx.Done():
			t.Fatal("timed out waiting for the state")
		}
	}
}
