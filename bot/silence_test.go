package bot

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"salesbot/commands"
	"salesbot/internal/slackfake"
)

// After-ack work that fails is told to the person, through the response_url
// or, when that fails too, by DM; work that already told them is not told
// twice.
func TestSilenceFailedWorkIsToldOnce(t *testing.T) {
	t.Parallel()
	var r *running
	r = startWith(t, hooks{slash: func(_ context.Context, cmd slack.SlashCommand) commands.Reply {
		return commands.Reply{Later: func(ctx context.Context) error {
			if cmd.Command == "/toldalready" {
				err := r.bot.api.Respond(ctx, cmd.ResponseURL, slack.WebhookMessage{Text: "the handler's own explanation"})
				return commands.Told(errors.Join(errors.New("database down"), err))
			}
			return errors.New("database down")
		}}
	}}, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	send := func(channel, user, command string) {
		t.Helper()
		id, err := r.fake.SendSlashCommand(ctx, slackfake.SlashCommand{TeamID: "T1", ChannelID: channel, UserID: user, Command: command})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.fake.WaitAck(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	send("C1", "U1", "/deal")
	m, err := r.fake.WaitMessage(ctx, "C1", func(slackfake.Message) bool { return true })
	if err != nil {
		t.Fatalf("failed after-ack work left the person in silence: %v", err)
	}
	if !strings.Contains(m.Text, "`/deal`") || !strings.Contains(m.Text, "did not finish") || strings.Contains(m.Text, "database down") {
		t.Errorf("the failure message must name the command and what to do, not the error: %q", m.Text)
	}

	// The response_url fails: the person gets a DM instead.
	r.fake.SetFailure("response_url", slackfake.Failure{Times: 1, Status: 500})
	send("C2", "U2", "/pipeline")
	if _, err := r.fake.WaitMessage(ctx, "DU2", func(m slackfake.Message) bool { return strings.Contains(m.Text, "`/pipeline`") }); err != nil {
		t.Errorf("when the response_url fails the person must get a DM: %v", err)
	}

	send("C3", "U3", "/toldalready")
	r.stop() // waits for every handler
	if err := <-r.done; err != nil {
		t.Fatal(err)
	}
	if msgs := r.fake.Messages("C3"); len(msgs) != 1 || msgs[0].Text != "the handler's own explanation" {
		t.Errorf("a failure the handler already told must not be told twice: %+v", msgs)
	}
}
