package commands

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"
	"github.com/slack-go/slack"

	"salesbot/internal/slackfake"
	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales/salesdb"
	"salesbot/store"
)

// webAPI is the real slack-go client; response_url posts go to the fake too.
type webAPI struct{ *slack.Client }

func (w webAPI) Respond(ctx context.Context, url string, msg slack.WebhookMessage) error {
	return slack.PostWebhookContext(ctx, url, &msg)
}

// downApp is an App whose database refuses every connection.
func downApp(t *testing.T) (*App, *slackfake.Server) {
	t.Helper()
	db, err := sqlx.Open("postgres", "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	fake := slackfake.New(t)
	st := store.New(db)
	app := New(Deps{Sales: salesdb.New(salesdb.Deps{Store: st}), Slack: webAPI{slack.New("xoxb-test", slack.OptionAPIURL(fake.APIURL()))}})
	return app, fake
}

func TestDatabaseDownStillOpensTheForm(t *testing.T) {
	app, fake := downApp(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	reply := app.SlashCommand(ctx, slack.SlashCommand{Command: "/lead", Text: "new Acme", TeamID: "T1", UserID: "U1", TriggerID: fake.NewTriggerID()})
	if reply.Ack != nil || reply.Later == nil {
		t.Fatalf("reply = %+v, want a bare ack and work after it", reply)
	}
	if err := reply.Later(ctx); err != nil {
		t.Fatalf("opening the form must not need the database: %v", err)
	}
	if v := fake.Views(); len(v) != 1 || !strings.Contains(v[0].PrivateMetadata, `"cur":"USD"`) {
		t.Errorf("views = %+v, want the form with the default currency", v)
	}
}

func TestDatabaseDownTellsTheUserNothingWasSaved(t *testing.T) {
	app, fake := downApp(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cb := slack.InteractionCallback{Type: slack.InteractionTypeViewSubmission}
	cb.Team.ID, cb.User.ID = "T1", "U1"
	cb.View = slack.View{ID: "V1", CallbackID: render.LeadNewCallback, PrivateMetadata: `{"cur":"USD"}`, State: &slack.ViewState{
		Values: map[string]map[string]slack.BlockAction{"company": {"company": {Value: "Acme"}}},
	}}
	reply := app.Interaction(ctx, cb)
	if reply.Ack != nil {
		t.Fatalf("a valid form closes with a bare ack, got %+v", reply.Ack)
	}
	if err := reply.Later(ctx); err == nil {
		t.Fatal("storing with the database down reported success")
	}
	msgs := fake.Messages("DU1")
	if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "was not saved") || !strings.Contains(msgs[0].Text, "Acme") {
		t.Errorf("messages = %+v, want one saying the Acme lead was not saved", msgs)
	}
}

// roleOnly answers the role read of help and nothing else.
type roleOnly struct {
	UseCases
	role string
}

func (r roleOnly) Role(context.Context, string, string) (string, error) { return r.role, nil }

func (roleOnly) Defaults() pipeline.Settings { return pipeline.Settings{Currency: "USD"} }

// An admin's help, the overview and each family's details, mentions every
// registered command; each answer stays within Slack's limits.
func TestHelpListsEveryRegisteredCommand(t *testing.T) {
	app := New(Deps{Sales: roleOnly{role: pipeline.RoleAdmin}})
	text := ""
	texts := []string{"help"}
	for _, f := range app.families {
		texts = append(texts, "help "+strings.TrimPrefix(f.help.Command, "/"))
	}
	for _, typed := range texts {
		reply := app.SlashCommand(context.Background(), slack.SlashCommand{Command: "/salesbot", Text: typed})
		raw, err := json.Marshal(reply.Ack) // as the ack sends it
		if err != nil {
			t.Fatal(err)
		}
		var msg struct {
			Blocks slack.Blocks `json:"blocks"`
		}
		if err := json.Unmarshal(raw, &msg); err != nil {
			t.Fatalf("help ack %s: %v", raw, err)
		}
		for _, b := range msg.Blocks.BlockSet {
			if s, ok := b.(*slack.SectionBlock); ok && s.Text != nil {
				text += s.Text.Text
				if n := len([]rune(s.Text.Text)); n > 3000 {
					t.Errorf("a section of /salesbot %s is %d characters; Slack's limit is 3000", typed, n)
				}
			}
		}
		if len(raw) >= 20480 {
			t.Errorf("/salesbot %s ack is %d bytes; Socket Mode acks must stay under 20 KB", typed, len(raw))
		}
	}
	for _, f := range app.families {
		for _, s := range f.help.Subs {
			if !strings.Contains(text, s.Usage) {
				t.Errorf("help does not mention %s", s.Usage)
			}
		}
	}
}

// Static answers are rendered once, in New: every request gets the same
// answer, not a new rendering of it.
func TestStaticAnswersAreRenderedOnce(t *testing.T) {
	app := New(Deps{})
	for _, cmd := range []slack.SlashCommand{{Command: "/salesbot", Text: "help"}, {Command: "/lead"}, {Command: "/deal"}} {
		first := app.SlashCommand(t.Context(), cmd)
		again := app.SlashCommand(t.Context(), cmd)
		ok := false
		switch p := first.Ack.(type) {
		case *render.Static:
			ok = p != nil
		case *message: // help, rendered once per role
			ok = p != nil
		}
		if !ok || again.Ack != first.Ack {
			t.Errorf("%s %s: acks %p and %p (%T), want the one answer rendered in New", cmd.Command, cmd.Text, first.Ack, again.Ack, first.Ack)
		}
	}
}
