package simulator

import (
	"bytes"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
)

// Other web pages cannot drive or read the simulator: its changes need a
// JSON body, a foreign Origin is refused, and so is a Host that is not the
// simulator's (DNS rebinding).
func TestSimulatorRefusesOtherPages(t *testing.T) {
	s, err := Start(Options{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	self := strings.TrimPrefix(s.fake.URL(), "http://") // 127.0.0.1:PORT
	_, port, _ := net.SplitHostPort(self)
	const body = `{"user":"U03SAM","channel":"C01SALES","text":"hello from %s"}`

	for _, tc := range []struct {
		name, method, path, host, origin, contentType string
		want                                          int
	}{
		{"the page's own post", "POST", "/sim/command", self, "http://" + self, "application/json", 200},
		{"a post without Origin (curl)", "POST", "/sim/command", self, "", "application/json", 200},
		{"JSON with a charset", "POST", "/sim/command", self, "", "application/json; charset=utf-8", 200},
		{"the page opened as localhost", "POST", "/sim/command", "localhost:" + port, "http://localhost:" + port, "application/json", 200},
		{"the page opened as [::1]", "POST", "/sim/command", "[::1]:" + port, "http://[::1]:" + port, "application/json", 200},
		{"a cross-site form, urlencoded", "POST", "/sim/command", self, "https://evil.example", "application/x-www-form-urlencoded", 403},
		{"a form post of text/plain", "POST", "/sim/command", self, "", "text/plain", 415},
		{"a form post of form data", "POST", "/sim/command", self, "", "application/x-www-form-urlencoded", 415},
		{"a multipart post", "POST", "/sim/submit", self, "", "multipart/form-data; boundary=x", 415},
		{"no content type", "POST", "/sim/action", self, "", "", 415},
		{"JSON from another site", "POST", "/sim/command", self, "https://evil.example", "application/json", 403},
		{"JSON from another local port", "POST", "/sim/command", self, "http://127.0.0.1:1", "application/json", 403},
		{"a sandboxed page (Origin null)", "POST", "/sim/command", self, "null", "application/json", 403},
		{"a rebound name", "POST", "/sim/command", "evil.example:" + port, "http://evil.example:" + port, "application/json", 403},
		{"a rebound name reading the state", "GET", "/sim/state?user=U03SAM&channel=C01SALES", "evil.example:" + port, "", "", 403},
		{"a rebound name calling the Slack API", "POST", "/api/conversations.history", "evil.example:" + port, "", "application/x-www-form-urlencoded", 403},
		{"a look-alike of loopback", "GET", "/sim/workspace", "127.0.0.1.evil.example:" + port, "", "", 403},
		{"the state, from the page", "GET", "/sim/state?user=U03SAM&channel=C01SALES", self, "", "", 200},
		{"the page itself", "GET", "/", self, "", "", 200},
		{"the page's websocket from another site", "GET", "/link/?ticket=x", self, "https://evil.example", "", 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rb io.Reader
			text := ""
			if tc.method == "POST" {
				text = "hello from " + tc.name
				rb = strings.NewReader(strings.Replace(body, "%s", tc.name, 1))
			}
			req, err := http.NewRequestWithContext(t.Context(), tc.method, s.fake.URL()+tc.path, rb)
			if err != nil {
				t.Fatal(err)
			}
			req.Host = tc.host
			if tc.origin != "" {
				req.Header.Set("Origin", tc.origin)
			}
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			msg, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.want, msg)
			}
			if tc.path != "/sim/command" {
				return
			}
			posted := false
			for _, m := range s.fake.Messages("C01SALES") {
				posted = posted || m.Text == text
			}
			if posted != (tc.want == 200) {
				t.Errorf("message posted = %v, want %v", posted, tc.want == 200)
			}
		})
	}
}

// A simulator reachable from the network is announced loudly, on several
// WARN lines; one on loopback says nothing.
func TestNonLoopbackSimAddrWarnsLoudly(t *testing.T) {
	for _, tc := range []struct {
		addr  *net.TCPAddr
		loud  bool
		shown string
	}{
		{&net.TCPAddr{IP: net.IPv4zero, Port: 3000}, true, "0.0.0.0:3000"},
		{&net.TCPAddr{IP: net.ParseIP("192.0.2.10"), Port: 3000}, true, "192.0.2.10:3000"},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 3000}, true, "[::]:3000"},
		{&net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 3000}, false, ""},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 3000}, false, ""},
	} {
		var buf bytes.Buffer
		warnIfExposed(slog.New(slog.NewTextHandler(&buf, nil)), tc.addr)
		warns := strings.Count(buf.String(), "level=WARN")
		if !tc.loud {
			if buf.Len() != 0 {
				t.Errorf("%s: logged %s", tc.addr, &buf)
			}
			continue
		}
		if warns < 5 || !strings.Contains(buf.String(), "SIM_ADDR "+tc.shown+" is NOT a loopback address") ||
			!strings.Contains(buf.String(), "SIM_ADDR=127.0.0.1:3000") {
			t.Errorf("%s: %d WARN lines, want a banner naming SIM_ADDR and the fix:\n%s", tc.addr, warns, &buf)
		}
	}

	var buf bytes.Buffer
	s, err := Start(Options{Addr: "127.0.0.1:0", Log: slog.New(slog.NewTextHandler(&buf, nil))})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if strings.Contains(buf.String(), "level=WARN") {
		t.Errorf("a loopback simulator warned:\n%s", &buf)
	}
}
