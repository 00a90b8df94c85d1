package bot

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Ops serves /healthz, /readyz and /metrics for operators and orchestrators.
type Ops struct {
	srv *http.Server
	ln  net.Listener
}

// NewOps listens on addr. ping checks the database; connected reports the
// Socket Mode connection. Ready means both.
func NewOps(addr string, m *Metrics, ping func(context.Context) error, connected func() bool) (*Ops, error) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		var problems []string
		if err := ping(ctx); err != nil {
			problems = append(problems, "database unreachable")
		}
		if !connected() {
			problems = append(problems, "not connected to Slack")
		}
		if len(problems) > 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			for _, p := range problems {
				w.Write([]byte(p + "\n"))
			}
			return
		}
		w.Write([]byte("ready\n"))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{}))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &Ops{srv: &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}, ln: ln}, nil
}

// Addr is the address the server listens on.
func (o *Ops) Addr() string { return o.ln.Addr().String() }

// Serve serves until Shutdown.
func (o *Ops) Serve() error {
	if err := o.srv.Serve(o.ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Shutdown stops the server, letting requests in progress finish.
func (o *Ops) Shutdown(ctx context.Context) error { return o.srv.Shutdown(ctx) }
