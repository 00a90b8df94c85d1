package slackfake

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Call is one recorded HTTP request to the fake. Web API calls carry their
// method name; posts to a response_url have Method "response_url" and file
// bytes posted to an upload URL have Method "file_upload".
type Call struct {
	Method string
	Params map[string]string // form and query values (first of each); never nil
	JSON   map[string]any    // decoded body of JSON requests, else nil
	Body   []byte            // raw request body
	Token  string            // from the form's token or the Bearer header
	Failed bool              // answered with an injected Failure
	At     time.Time
}

// Param returns a request parameter whether it came as a form value or as a
// top-level JSON string.
func (c Call) Param(key string) string {
	if v, ok := c.Params[key]; ok {
		return v
	}
	if v, ok := c.JSON[key]; ok {
		if s, ok := v.(string); ok {
			return s
		}
		if v != nil {
			return fmt.Sprint(v)
		}
	}
	return ""
}

// Failure makes calls fail. Status 0 or 200 answers HTTP 200 with
// {"ok":false,"error":Error}; any other Status answers that HTTP status, and a
// 429 always carries Retry-After: RetryAfter (seconds) and error "ratelimited",
// which slack-go turns into *slack.RateLimitedError.
type Failure struct {
	Times      int    // how many of the next calls fail; <= 0 clears the failure
	Status     int    // HTTP status; 0 means 200
	RetryAfter int    // seconds, for Retry-After on a 429
	Error      string // Slack error code for ok:false; empty means "internal_error"
	// Needed and Provided are the scopes a missing_scope answer names, e.g.
	// Needed "channels:manage"; they are sent only when Needed is set.
	Needed, Provided string
}

// SetFailure makes the next f.Times calls of method fail as f describes. It
// works for Web API methods (apps.connections.open included), "response_url"
// and "file_upload".
func (s *Server) SetFailure(method string, f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times <= 0 {
		delete(s.failures, method)
		return
	}
	s.failures[method] = f
}

// takeFailure consumes one armed failure of method, if any.
func (s *Server) takeFailure(method string) (Failure, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.failures[method]
	if !ok {
		return Failure{}, false
	}
	if f.Times--; f.Times <= 0 {
		delete(s.failures, method)
	} else {
		s.failures[method] = f
	}
	return f, true
}

// record stores c. Handlers call it after applying the call's effects, so a
// test woken by WaitCall already sees them (e.g. in Messages).
func (s *Server) record(c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.Params == nil {
		c.Params = map[string]string{}
	}
	s.calls = append(s.calls, c)
	s.broadcastLocked()
}

// Calls returns the recorded calls of method in order; "" returns all calls.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// WaitCall returns the first call of method ("" = any) for which match (nil =
// any) is true, among calls already recorded or still to come. match runs
// without the fake's lock, so it may call the Server.
func (s *Server) WaitCall(ctx context.Context, method string, match func(Call) bool) (Call, error) {
	next := 0 // calls are append-only, so each one is checked once
	c, err := waitMatch(ctx, s, func() []Call {
		tail := s.calls[next:]
		next = len(s.calls)
		return slices.Clone(tail)
	}, func(c Call) bool {
		return (method == "" || c.Method == method) && (match == nil || match(c))
	})
	if err != nil {
		return Call{}, fmt.Errorf("slackfake: waiting for call %q: %w", method, err)
	}
	return c, nil
}
