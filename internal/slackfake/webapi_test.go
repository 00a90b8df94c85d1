package slackfake

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

func TestFailuresAndUnknownMethods(t *testing.T) {
	s := New(t)
	ctx := testCtx(t)
	api := slack.New("xoxb-test", slack.OptionAPIURL(s.APIURL()))

	s.SetFailure("chat.postMessage", Failure{Times: 1, Status: http.StatusTooManyRequests, RetryAfter: 2})
	s.SetFailure("users.info", Failure{Times: 2, Error: "fatal_error"})
	_, _, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("x", false))
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter != 2*time.Second {
		t.Fatalf("429: %v", err)
	}
	if _, _, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("x", false)); err != nil {
		t.Fatalf("after the failure: %v", err)
	}
	for range 2 {
		if _, err := api.GetUserInfoContext(ctx, "U1"); err == nil || err.Error() != "fatal_error" {
			t.Fatalf("users.info failure: %v", err)
		}
	}
	calls := s.Calls("chat.postMessage")
	if len(calls) != 2 || !calls[0].Failed || calls[1].Failed {
		t.Fatalf("calls = %+v", calls)
	}

	s.AddUser(User{ID: "U1", Name: "ann", RealName: "Ann Lee", TZ: "Europe/Paris", TZOffset: 3600, IsAdmin: true})
	u, err := api.GetUserInfoContext(ctx, "U1")
	if err != nil || u.TZ != "Europe/Paris" || u.TZOffset != 3600 || !u.IsAdmin || u.TeamID != TeamID {
		t.Fatalf("users.info = %+v, %v", u, err)
	}
	if u, err := api.GetUserInfoContext(ctx, "U9"); err != nil || u.TZ != "UTC" {
		t.Fatalf("default user = %+v, %v", u, err)
	}

	resp, err := http.PostForm(s.APIURL()+"no.such", url.Values{"token": {"xoxb-test"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if c := s.Calls("no.such"); len(c) != 1 || c[0].Params["token"] != "xoxb-test" {
		t.Fatalf("unknown method calls = %+v", c)
	}
	if _, err := slack.New("", slack.OptionAPIURL(s.APIURL())).AuthTestContext(ctx); err == nil || err.Error() != "not_authed" {
		t.Fatalf("auth.test without token: %v", err)
	}
	at, err := api.AuthTestContext(ctx)
	if err != nil || at.TeamID != TeamID || at.UserID != BotUserID || at.BotID != BotID {
		t.Fatalf("auth.test = %+v, %v", at, err)
	}
}

func TestUploadsResponseURLsAndTriggers(t *testing.T) {
	s := New(t, WithStrictTriggers())
	ctx := testCtx(t)
	api := slack.New("xoxb-test", slack.OptionAPIURL(s.APIURL()))

	content := "stage,amount\nwon,100\n"
	sum, err := api.UploadFileContext(ctx, slack.UploadFileParameters{
		Filename: "deals.csv", Content: content, FileSize: len(content), Channel: "C1", Title: "Deals"})
	if err != nil {
		t.Fatal(err)
	}
	files := s.Files()
	if len(files) != 1 || files[0].ID != sum.ID || string(files[0].Data) != content || !files[0].Completed || files[0].Channel != "C1" {
		t.Fatalf("files = %+v", files)
	}

	respURL := s.NewResponseURL("C1", "U1")
	if err := slack.PostWebhookContext(ctx, respURL, &slack.WebhookMessage{Text: "done"}); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := api.SendMessageContext(ctx, "", slack.MsgOptionResponseURL(respURL, slack.ResponseTypeInChannel),
		slack.MsgOptionText("for all", false)); err != nil {
		t.Fatal(err)
	}
	if c := s.Calls("response_url"); len(c) != 2 || c[0].JSON["text"] != "done" {
		t.Fatalf("response_url calls = %+v", c)
	}
	msgs := s.Messages("C1")
	if len(msgs) != 2 || !msgs[0].Ephemeral || msgs[0].User != "U1" || msgs[1].Ephemeral || msgs[1].Text != "for all" {
		t.Fatalf("messages = %+v", msgs)
	}

	modal := slack.ModalViewRequest{Type: slack.VTModal, Title: slack.NewTextBlockObject(slack.PlainTextType, "Deal", false, false)}
	if _, err := api.OpenViewContext(ctx, "123.456.made-up", modal); err == nil || err.Error() != "invalid_trigger_id" {
		t.Fatalf("made-up trigger: %v", err)
	}
	trigger := s.NewTriggerID()
	if _, err := api.OpenViewContext(ctx, trigger, modal); err != nil {
		t.Fatal(err)
	}
	if _, err := api.OpenViewContext(ctx, trigger, modal); err == nil || err.Error() != "exchanged_trigger_id" {
		t.Fatalf("reused trigger: %v", err)
	}
	modal.Title.Text = strings.Repeat("x", 25)
	if _, err := api.OpenViewContext(ctx, s.NewTriggerID(), modal); err == nil || err.Error() != "invalid_arguments" {
		t.Fatalf("long title: %v", err)
	}

	home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewDividerBlock()}}}
	first, err := api.PublishView("U1", home, "")
	if err != nil {
		t.Fatal(err)
	}
	second, err := api.PublishView("U1", home, first.View.Hash)
	if err != nil || second.View.ID != first.View.ID {
		t.Fatalf("republish = %+v, %v", second, err)
	}
	if v, ok := s.HomeView("U1"); !ok || v.Hash != second.View.Hash || v.Type != "home" {
		t.Fatalf("HomeView = %+v", v)
	}
}

func TestConnectionFailures(t *testing.T) {
	s := New(t)
	ctx := testCtx(t)

	// A rate-limited open is retried after Retry-After; a fatal auth error ends RunContext.
	s.SetFailure("apps.connections.open", Failure{Times: 1, Status: http.StatusTooManyRequests})
	b := startBot(t, s)
	if err := s.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
	if got, sockets := s.Connects(), s.Sockets(); got != 2 || sockets != 1 {
		t.Fatalf("Connects() = %d, Sockets() = %d; want 2, 1", got, sockets)
	}
	s.SetFailure("apps.connections.open", Failure{Times: 1, Error: "invalid_auth"})
	if err := s.DropConnection(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-b.runErr:
		if err == nil || err.Error() != "invalid_auth" {
			t.Fatalf("RunContext = %v, want invalid_auth", err)
		}
		b.runErr <- err // for the cleanup
	case <-ctx.Done():
		t.Fatal("RunContext did not stop on invalid_auth")
	}
}

func TestPingsKeepTheClientConnected(t *testing.T) {
	s := New(t, WithPingInterval(50*time.Millisecond))
	ctx := testCtx(t)
	api := slack.New("xoxb-test", slack.OptionAppLevelToken("xapp-test"), slack.OptionAPIURL(s.APIURL()))
	client := socketmode.New(api, socketmode.OptionPingInterval(200*time.Millisecond))
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = client.RunContext(runCtx)
	}()
	go func() { // drain events, as every client must
		for {
			select {
			case <-runCtx.Done():
				return
			case <-client.Events:
			}
		}
	}()
	defer func() { cancel(); <-done }()
	if err := s.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
	// A malformed frame must not break the connection either.
	if err := s.SendRaw(ctx, "{not json"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(700 * time.Millisecond) // several client ping intervals: absence of a reconnect
	if got := s.Connects(); got != 1 {
		t.Fatalf("client reconnected %d times despite pings", got-1)
	}
}

func TestCloseLeavesNoGoroutines(t *testing.T) {
	s := New(nil, WithPingInterval(10*time.Millisecond))
	ctx := testCtx(t)
	ws := dialFake(ctx, t, s)
	defer ws.Close()
	if err := s.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s.Close() // idempotent
	var buf strings.Builder
	_ = pprof.Lookup("goroutine").WriteTo(&buf, 1)
	if strings.Contains(buf.String(), "slackfake.(*") {
		t.Fatalf("goroutines left after Close:\n%s", buf.String())
	}
	if err := s.WaitConnected(ctx); !errors.Is(err, ErrClosed) {
		t.Fatalf("WaitConnected after Close = %v", err)
	}
}

// dialFake opens a bare websocket to the fake, as slack-go would.
func dialFake(ctx context.Context, t *testing.T, s *Server) *websocket.Conn {
	t.Helper()
	api := slack.New("xoxb-test", slack.OptionAppLevelToken("xapp-test"), slack.OptionAPIURL(s.APIURL()))
	_, wsURL, err := api.StartSocketModeContext(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ws, _, err := websocket.DefaultDialer.DialContext(ctx, wsURL, http.Header{"Origin": {"https://api.slack.com"}})
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func TestDirectoryMethods(t *testing.T) {
	s := New(t, WithStrictUsers())
	ctx := testCtx(t)
	api := slack.New("xoxb-test", slack.OptionAPIURL(s.APIURL()))
	s.AddChannel(Channel{ID: "C1", Name: "sales", Members: []string{BotUserID, "U1"}})
	s.AddChannel(Channel{ID: "G1", Name: "secret", IsPrivate: true, Members: []string{"U1"}})

	if _, err := api.GetUserInfoContext(ctx, "U1"); err == nil || err.Error() != "user_not_found" {
		t.Fatalf("strict users.info: %v", err)
	}
	ch, err := api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: "C1"})
	if err != nil || ch.Name != "sales" || !ch.IsChannel {
		t.Fatalf("conversations.info = %+v, %v", ch, err)
	}
	members, _, err := api.GetUsersInConversationContext(ctx, &slack.GetUsersInConversationParameters{ChannelID: "C1"})
	if err != nil || len(members) != 2 {
		t.Fatalf("members = %v, %v", members, err)
	}
	chans, _, err := api.GetConversationsForUserContext(ctx, &slack.GetConversationsForUserParameters{
		UserID: "U1", Types: []string{"public_channel", "private_channel"}})
	if err != nil || len(chans) != 2 || chans[0].ID != "C1" || !chans[1].IsPrivate {
		t.Fatalf("users.conversations = %+v, %v", chans, err)
	}
	// C1 is known, so the message must be there.
	m := s.AddMessage(Message{Channel: "C1", User: "U1", Text: "hello", Via: "user"})
	link, err := api.GetPermalinkContext(ctx, &slack.PermalinkParameters{Channel: "C1", Ts: m.TS})
	if err != nil || !strings.HasSuffix(link, "/archives/C1/p"+strings.Replace(m.TS, ".", "", 1)) {
		t.Fatalf("permalink = %q, %v", link, err)
	}
	if c := s.Calls("chat.getPermalink"); len(c) != 1 || c[0].Token != "xoxb-test" || c[0].Params["channel"] != "C1" {
		t.Fatalf("permalink call = %+v", c)
	}
}

func TestSendWaitsForAClient(t *testing.T) {
	s := New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := s.SendSlashCommand(ctx, SlashCommand{Command: "/deal"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("send without client: %v", err)
	}
	if err := s.Disconnect("warning"); err == nil {
		t.Fatal("Disconnect without client succeeded")
	}
}
