package slackfake

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// reply is a Web API answer; "ok":true is added unless it sets "ok".
type reply map[string]any

func apiError(code string) reply { return reply{"ok": false, "error": code} }

// methods are the Web API methods the fake implements; anything else answers
// unknown_method.
var methods = map[string]func(*Server, Call) reply{
	"apps.connections.open":        (*Server).connectionsOpen,
	"auth.test":                    (*Server).authTest,
	"chat.postMessage":             (*Server).chatPostMessage,
	"chat.postEphemeral":           (*Server).chatPostEphemeral,
	"chat.update":                  (*Server).chatUpdate,
	"chat.delete":                  (*Server).chatDelete,
	"chat.getPermalink":            (*Server).chatGetPermalink,
	"conversations.history":        (*Server).conversationsHistory,
	"conversations.replies":        (*Server).conversationsReplies,
	"conversations.open":           (*Server).conversationsOpen,
	"conversations.info":           (*Server).conversationsInfo,
	"conversations.members":        (*Server).conversationsMembers,
	"conversations.create":         (*Server).conversationsCreate,
	"conversations.invite":         (*Server).conversationsInvite,
	"conversations.rename":         (*Server).conversationsRename,
	"conversations.archive":        (*Server).conversationsArchive,
	"conversations.list":           (*Server).conversationsList,
	"pins.add":                     (*Server).pinsAdd,
	"users.conversations":          (*Server).usersConversations,
	"users.info":                   (*Server).usersInfo,
	"views.open":                   (*Server).viewsOpen,
	"views.push":                   (*Server).viewsPush,
	"views.update":                 (*Server).viewsUpdate,
	"views.publish":                (*Server).viewsPublish,
	"files.getUploadURLExternal":   (*Server).filesGetUploadURL,
	"files.completeUploadExternal": (*Server).filesCompleteUpload,
}

// handleAPI serves /api/<method>: it decodes the request, applies an injected
// failure or the method, records the call and answers JSON.
func (s *Server) handleAPI(w http.ResponseWriter, r *http.Request) {
	c := readCall(r)
	c.Method = r.PathValue("method")
	if c.Method == "apps.connections.open" {
		s.mu.Lock()
		s.connects++
		s.mu.Unlock()
	}
	if f, ok := s.takeFailure(c.Method); ok {
		c.Failed = true
		s.record(c)
		writeFailure(w, f)
		return
	}
	var resp reply
	fn, known := methods[c.Method]
	switch {
	case !known:
		resp = apiError("unknown_method")
	case c.Token == "":
		resp = apiError("not_authed")
	case c.Method == "apps.connections.open" && !strings.HasPrefix(c.Token, "xapp-"):
		resp = apiError("not_allowed_token_type")
	case c.Method != "apps.connections.open" && strings.HasPrefix(c.Token, "xapp-"):
		resp = apiError("not_allowed_token_type")
	default:
		resp = fn(s, c)
	}
	s.record(c)
	writeJSON(w, http.StatusOK, resp)
}

// readCall decodes a request the way slack-go sends them: form-encoded with
// the token in the body, JSON with a Bearer header, or GET with a query.
func readCall(r *http.Request) Call {
	body, _ := io.ReadAll(r.Body)
	c := Call{Params: map[string]string{}, Body: body, At: time.Now()}
	for k, v := range r.URL.Query() {
		c.Params[k] = v[0]
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/x-www-form-urlencoded":
		if vals, err := url.ParseQuery(string(body)); err == nil {
			for k, v := range vals {
				c.Params[k] = v[0]
			}
		}
	case "application/json":
		if len(bytes.TrimSpace(body)) > 0 {
			var m map[string]any
			if json.Unmarshal(body, &m) == nil {
				c.JSON = m
			}
		}
	}
	c.Token = c.Params["token"]
	if auth := r.Header.Get("Authorization"); c.Token == "" && strings.HasPrefix(auth, "Bearer ") {
		c.Token = strings.TrimPrefix(auth, "Bearer ")
	}
	return c
}

func writeJSON(w http.ResponseWriter, status int, resp reply) {
	if _, set := resp["ok"]; !set {
		resp["ok"] = true
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(resp)
}

func writeFailure(w http.ResponseWriter, f Failure) {
	code := f.Error
	if code == "" {
		code = "internal_error"
	}
	status := f.Status
	if status == 0 {
		status = http.StatusOK
	}
	if status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
		code = "ratelimited"
	}
	resp := apiError(code)
	if f.Needed != "" {
		// missing_scope names the scope the call needs and those the token has.
		resp["needed"], resp["provided"] = f.Needed, f.Provided
	}
	writeJSON(w, status, resp)
}

// connectionsOpen issues a one-use websocket ticket.
func (s *Server) connectionsOpen(Call) reply {
	s.mu.Lock()
	ticket := s.nextIDLocked("")
	s.tickets[ticket] = true
	s.mu.Unlock()
	return reply{"url": "ws" + strings.TrimPrefix(s.base, "http") + "/link/?ticket=" + ticket}
}

func (s *Server) authTest(Call) reply {
	team := s.cfg.teamID
	if team == "" {
		team = TeamID
	}
	return reply{
		"url":     "https://fake.slack.com/",
		"team":    TeamName,
		"user":    BotName,
		"team_id": team,
		"user_id": BotUserID,
		"bot_id":  BotID,
	}
}

// rawParam returns a JSON-valued parameter: a form value holding JSON text,
// or a value of a JSON body. ok is false when the form value is not JSON.
func rawParam(c Call, key string) (raw json.RawMessage, ok bool) {
	if v, set := c.Params[key]; set {
		if !json.Valid([]byte(v)) {
			return nil, false
		}
		if strings.TrimSpace(v) == "null" {
			return nil, true
		}
		return json.RawMessage(v), true
	}
	if v, set := c.JSON[key]; set && v != nil {
		b, err := json.Marshal(v)
		return b, err == nil
	}
	return nil, true
}

// handleResponseURL records a post to a response_url and, when the URL was
// issued for a channel, stores the reply among that channel's messages.
func (s *Server) handleResponseURL(w http.ResponseWriter, r *http.Request) {
	c := readCall(r)
	c.Method = "response_url"
	c.Params["id"] = r.PathValue("id")
	if f, ok := s.takeFailure(c.Method); ok {
		c.Failed = true
		s.record(c)
		writeFailure(w, f)
		return
	}
	if code := s.storeResponse(c); code != "" {
		// Slack answers a refused response_url post with a 4xx and the
		// error code as plain text.
		s.record(c)
		http.Error(w, code, http.StatusBadRequest)
		return
	}
	s.record(c)
	writeJSON(w, http.StatusOK, reply{})
}
