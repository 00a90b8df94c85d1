package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
)

// redactedURL is what a URL that may grant access becomes in logs and errors.
// A response_url, a file upload URL or a database URL is a credential in
// its own right; only its scheme and host are kept, to tell where it went.
// Web API URLs (…/api/<method>) keep their path: tokens travel in headers
// and bodies, never in the path, and the method name is what one debugs by.
func redactedURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "[url]"
	}
	if strings.Contains(u.Path, "/api/") && u.User == nil && u.RawQuery == "" {
		return u.Scheme + "://" + u.Host + u.Path
	}
	return u.Scheme + "://" + u.Host + "/[redacted]"
}

// redactedError is err with every URL of the url.Errors in its tree
// replaced: their text repeats the URL they failed on. It keeps err for
// errors.Is and errors.As.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// RedactError returns err with the URLs of url.Errors inside it (a
// response_url, an upload URL…) cut down to their host, or err itself when
// there is none.
func RedactError(err error) error {
	if err == nil {
		return nil
	}
	var urls []string
	collectURLs(err, &urls)
	orig := err.Error()
	msg := orig
	for _, u := range urls {
		msg = strings.ReplaceAll(msg, u, redactedURL(u))
	}
	// A driver may quote a connection string it could not parse.
	msg = urlPassword.ReplaceAllString(msg, "${1}[redacted]@")
	msg = dsnPassword.ReplaceAllString(msg, "${1}[redacted]")
	if msg == orig {
		return err
	}
	return &redactedError{msg: msg, err: err}
}

var (
	urlPassword = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s"]*:)[^@\s"]*@`)
	dsnPassword = regexp.MustCompile(`((?i:password)\s*=\s*)('[^']*'|[^\s"]+)`)
)

func collectURLs(err error, urls *[]string) {
	if err == nil {
		return
	}
	var ue *url.Error
	if e, ok := err.(*url.Error); ok {
		ue = e
	}
	if ue != nil && ue.URL != "" {
		*urls = append(*urls, ue.URL)
		// url.Error quotes the URL; its escaped form may show instead.
		if q := fmt.Sprintf("%q", ue.URL); q != `"`+ue.URL+`"` {
			*urls = append(*urls, strings.Trim(q, `"`))
		}
	}
	switch x := err.(type) {
	case interface{ Unwrap() []error }:
		for _, e := range x.Unwrap() {
			collectURLs(e, urls)
		}
	default:
		collectURLs(errors.Unwrap(err), urls)
	}
}

// RedactingLogger wraps log so that error values logged anywhere lose the
// URLs inside them: a handler several layers away from the Slack client
// cannot know that its error quotes a response_url.
func RedactingLogger(log *slog.Logger) *slog.Logger {
	if _, ok := log.Handler().(redactingHandler); ok {
		return log
	}
	return slog.New(redactingHandler{log.Handler()})
}

type redactingHandler struct{ next slog.Handler }

func (h redactingHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h redactingHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(redactAttr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h redactingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		red[i] = redactAttr(a)
	}
	return redactingHandler{h.next.WithAttrs(red)}
}

func (h redactingHandler) WithGroup(name string) slog.Handler {
	return redactingHandler{h.next.WithGroup(name)}
}

func redactAttr(a slog.Attr) slog.Attr {
	switch a.Value.Kind() {
	case slog.KindAny:
		if err, ok := a.Value.Any().(error); ok {
			return slog.String(a.Key, RedactError(err).Error())
		}
	case slog.KindGroup:
		g := a.Value.Group()
		red := make([]any, len(g))
		for i, ga := range g {
			red[i] = redactAttr(ga)
		}
		return slog.Group(a.Key, red...)
	}
	return a
}
