package simulator

import (
	"log/slog"
	"mime"
	"net"
	"net/http"
	"strings"
)

// The simulator has no login: whoever reaches it can act as anyone in its
// workspace and read all of it. guard keeps other web pages out of it:
//   - Host must name the simulator (its SIM_ADDR host, a loopback name or
//     address): a page of another site whose name is made to resolve to
//     127.0.0.1 (DNS rebinding) sends its own name;
//   - Origin, when the browser sends one, must be the simulator's own, so a
//     page of another site (or another local port) cannot post or open the
//     Socket Mode link;
//   - the page's changes (POST /sim/…) must be application/json, which a
//     cross-site form cannot send and a cross-site fetch cannot send
//     without a CORS preflight the simulator never grants.
//
// The port is not compared: port forwarding (containers, SSH) changes it,
// and a rebinding page cannot choose its host name's resolution and keep a
// Host the simulator accepts.
type guard struct {
	host        string // SIM_ADDR's host, lower case, without brackets
	unspecified bool   // SIM_ADDR listens on every address: any IP is its own
}

// slackClientOrigin is the Origin slack-go's Socket Mode client sends when
// it opens the websocket (/link/…); no other site's page can send it.
const slackClientOrigin = "https://api.slack.com"

func newGuard(addr net.Addr, configured string) guard {
	host, _, _ := net.SplitHostPort(configured)
	g := guard{host: strings.ToLower(host)}
	if a, ok := addr.(*net.TCPAddr); ok {
		g.unspecified = a.IP.IsUnspecified()
	}
	return g
}

func (g guard) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !g.hostAllowed(r.Host) {
			http.Error(w, "simulator: this address is not the simulator's (Host "+r.Host+"): open it at the address salesbot dev printed", http.StatusForbidden)
			return
		}
		if o := r.Header.Get("Origin"); o != "" && o != "http://"+r.Host && !(o == slackClientOrigin && strings.HasPrefix(r.URL.Path, "/link/")) {
			http.Error(w, "simulator: requests from other web pages are refused (Origin "+o+")", http.StatusForbidden)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead && strings.HasPrefix(r.URL.Path, "/sim/") {
			if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
				http.Error(w, "simulator: the body must be JSON (Content-Type: application/json)", http.StatusUnsupportedMediaType)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (g guard) hostAllowed(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
	if host == "" {
		return false
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || host == g.host {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || g.unspecified)
}

// warnIfExposed logs, loudly, when the simulator listens on more than the
// loopback interface: anyone who reaches it can act as anyone and read
// every deal of its workspace.
func warnIfExposed(log *slog.Logger, addr net.Addr) {
	a, ok := addr.(*net.TCPAddr)
	if !ok || a.IP.IsLoopback() {
		return
	}
	bar := strings.Repeat("!", 72)
	for _, line := range []string{
		bar,
		"SIM_ADDR " + a.String() + " is NOT a loopback address.",
		"The simulator has no login: anyone who can reach this address can act",
		"as any user of its workspace, read every deal in it and drive the bot.",
		"Unless you mean to share it on a network you trust, set",
		"SIM_ADDR=127.0.0.1:3000 (the default).",
		bar,
	} {
		log.Warn(line, "sim_addr", a.String())
	}
}
