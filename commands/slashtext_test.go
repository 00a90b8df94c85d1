package commands

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

// Slack sends &, < and > in a slash command's text as entities; the form
// must show the company as the person typed it.
func TestSlashTextEntitiesAreReadAsTyped(t *testing.T) {
	app, fake := downApp(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	reply := app.SlashCommand(ctx, slack.SlashCommand{Command: "/lead", Text: "new AT&amp;T &lt;West&gt; &amp;lt;x",
		TeamID: "T1", UserID: "U1", TriggerID: fake.NewTriggerID()})
	if reply.Later == nil {
		t.Fatalf("reply = %+v, want the form opened after the ack", reply)
	}
	if err := reply.Later(ctx); err != nil {
		t.Fatal(err)
	}
	views := fake.Views()
	if len(views) != 1 {
		t.Fatalf("views = %d, want the New lead form", len(views))
	}
	var v struct {
		Blocks []struct {
			BlockID string `json:"block_id"`
			Element struct {
				InitialValue string `json:"initial_value"`
			} `json:"element"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(views[0].JSON, &v); err != nil {
		t.Fatal(err)
	}
	for _, b := range v.Blocks {
		if b.BlockID == "company" {
			if want := "AT&T <West> &lt;x"; b.Element.InitialValue != want {
				t.Errorf("Company = %q, want %q", b.Element.InitialValue, want)
			}
			return
		}
	}
	t.Errorf("the form has no company field: %s", views[0].JSON)
}
