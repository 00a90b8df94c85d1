package simulator

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"salesbot"
	"salesbot/internal/slackfake"
)

// ackBot is a Socket Mode app on the real slack-go client that acks every
// envelope and does nothing else.
func ackBot(ctx context.Context, apiURL string) {
	client := socketmode.New(slack.New("xoxb-test", slack.OptionAppLevelToken("xapp-test"), slack.OptionAPIURL(apiURL)))
	go func() { _ = client.RunContext(ctx) }()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case evt := <-client.Events:
				if evt.Request != nil && evt.Request.EnvelopeID != "" {
					client.Ack(*evt.Request)
				}
			}
		}
	}()
}

// What the page sends (the composer's Slack form) becomes the payload text a
// workspace with the manifest's should_escape sends, or the message Slack
// shows.
func TestMentionsReachTheBotAsSlackSendsThem(t *testing.T) {
	manifest := append(append([]byte(nil), salesbot.Manifest...),
		"\n# a command without escaping, for the test\n  slash_commands:\n    - command: /plain\n      should_escape: false\n"...)
	s, err := Start(Options{Addr: "127.0.0.1:0", Manifest: manifest})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ackBot(ctx, s.APIURL())
	if err := s.Fake().WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
	typed := "team <@U02MARIA> <@U03SAM> in <#C02WINS|wins> <!here> AT&amp;T &lt;@U04PRIYA&gt; <@U09NOBODY> see https://example.com/a?b=1&amp;c=2"
	cases := []struct{ command, want string }{
		{"/salesbot", "team <@U02MARIA|maria> <@U03SAM|sam> in <#C02WINS|wins> <!here> AT&amp;T &lt;@U04PRIYA&gt; <@U09NOBODY> see <https://example.com/a?b=1&amp;c=2>"},
		{"/plain", "team @maria @sam in #wins @here AT&amp;T &lt;@U04PRIYA&gt; <@U09NOBODY> see https://example.com/a?b=1&amp;c=2"},
	}
	for _, tc := range cases {
		post(t, s, "/sim/command", map[string]any{"user": "U01ALEX", "channel": "C01SALES", "text": tc.command + " " + typed})
		env := waitEnvelope(t, ctx, s.Fake(), tc.command)
		var p struct{ Text string }
		if err := json.Unmarshal(env.Payload, &p); err != nil {
			t.Fatal(err)
		}
		if p.Text != tc.want {
			t.Errorf("%s text =\n%q, want\n%q", tc.command, p.Text, tc.want)
		}
	}

	post(t, s, "/sim/command", map[string]any{"user": "U01ALEX", "channel": "C01SALES", "text": "hi <@U02MARIA>, see https://example.com"})
	msgs := s.Fake().Messages("C01SALES")
	if len(msgs) == 0 || msgs[len(msgs)-1].Text != "hi <@U02MARIA>, see <https://example.com>" {
		t.Errorf("messages = %+v, want the mention kept and the URL linked", msgs)
	}
}

func waitEnvelope(t *testing.T, ctx context.Context, fake *slackfake.Server, command string) slackfake.Envelope {
	t.Helper()
	for {
		changed := fake.Changes()
		for _, env := range fake.Envelopes() {
			var p struct{ Command string }
			if json.Unmarshal(env.Payload, &p) == nil && p.Command == command {
				return env
			}
		}
		select {
		case <-changed:
		case <-ctx.Done():
			t.Fatalf("no %s envelope", command)
		}
	}
}
