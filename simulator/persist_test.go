package simulator

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"salesbot/internal/pgtest"
)

// A restarted simulator shows the messages of its earlier run: edits,
// deletions, messages only one person sees and shared files included; new
// messages and files come after them without taking their IDs.
func TestSimulatorRestartedShowsItsEarlierMessages(t *testing.T) {
	db, err := sql.Open("postgres", pgtest.Fresh(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	start := func() (*Server, *slack.Client) {
		s, err := Start(Options{Addr: "127.0.0.1:0", Log: slog.New(slog.NewTextHandler(t.Output(), nil))})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Attach(ctx, db); err != nil {
			s.Close()
			t.Fatal(err)
		}
		return s, slack.New("xoxb-test", slack.OptionAPIURL(s.APIURL()))
	}

	first, api := start()
	_, ts, err := api.PostMessageContext(ctx, "C01SALES", slack.MsgOptionText("Acme: proposal sent", false))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := api.UpdateMessageContext(ctx, "C01SALES", ts, slack.MsgOptionText("Acme won", false)); err != nil {
		t.Fatal(err)
	}
	_, gone, err := api.PostMessageContext(ctx, "C01SALES", slack.MsgOptionText("to be deleted", false))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := api.DeleteMessageContext(ctx, "C01SALES", gone); err != nil {
		t.Fatal(err)
	}
	if _, err := api.PostEphemeralContext(ctx, "C01SALES", "U03SAM", slack.MsgOptionText("only Sam sees this", false)); err != nil {
		t.Fatal(err)
	}
	csv := "deal,stage\nD-1,won\n"
	if _, err := api.UploadFileContext(ctx, slack.UploadFileParameters{Reader: strings.NewReader(csv), FileSize: len(csv),
		Filename: "pipeline.csv", Title: "Pipeline export", Channel: "C01SALES"}); err != nil {
		t.Fatal(err)
	}
	waitState(t, ctx, first, func(st state) bool { return len(st.Messages) == 3 })
	first.Close()

	second, api := start()
	defer second.Close()
	st := getState(t, second)
	var texts []string
	var fileID string
	for _, m := range st.Messages {
		texts = append(texts, m.Text)
		if m.Text == "Acme won" && !m.Edited {
			t.Error("the edited message is no longer marked edited")
		}
		for _, f := range m.Files {
			fileID = f.ID
			if f.Title != "Pipeline export" {
				t.Errorf("file title = %q", f.Title)
			}
		}
	}
	if want := []string{"Acme won", "only Sam sees this", ""}; !slices.Equal(texts, want) {
		t.Fatalf("after the restart, Sam sees %q in #sales, want %q", texts, want)
	}
	if fileID == "" {
		t.Fatal("the shared file's message lost its file")
	}
	resp, err := http.Get(second.fake.URL() + "/sim/files/" + fileID)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != csv {
		t.Errorf("the file's bytes after the restart = %q, want %q", body, csv)
	}

	// What comes next is added after, with IDs of its own.
	_, later, err := api.PostMessageContext(ctx, "C01SALES", slack.MsgOptionText("Globex: new lead", false))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.UploadFileContext(ctx, slack.UploadFileParameters{Reader: strings.NewReader(csv), FileSize: len(csv),
		Filename: "again.csv", Channel: "C01SALES"}); err != nil {
		t.Fatal(err)
	}
	st = waitState(t, ctx, second, func(st state) bool { return len(st.Messages) == 5 })
	if last := st.Messages[3]; last.TS != later || last.Text != "Globex: new lead" {
		t.Errorf("the new message is not after the kept ones: %+v", st.Messages)
	}
	if f := st.Messages[4].Files; len(f) != 1 || f[0].ID == fileID {
		t.Errorf("the new file's message = %+v, want a file other than %s", st.Messages[4], fileID)
	}
	if n := len(second.fake.Messages("C01SALES")); n != 5 {
		t.Errorf("the fake holds %d messages of #sales, want 5", n)
	}
}
