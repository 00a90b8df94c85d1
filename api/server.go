package api

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// Server is the API's own listener, API_ADDR: public, unlike the ops
// listener, so it has timeouts that a slow client cannot hold open.
type Server struct {
	srv *http.Server
	ln  net.Listener
}

// Listen binds addr for h; Serve then answers on it.
func Listen(addr string, h http.Handler) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &Server{ln: ln, srv: &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    32 << 10,
	}}, nil
}

// Addr is where the API listens, its port chosen when addr ended in :0.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Serve answers until Shutdown.
func (s *Server) Serve() error {
	if err := s.srv.Serve(s.ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Shutdown lets requests in flight finish by ctx's deadline.
func (s *Server) Shutdown(ctx context.Context) error { return s.srv.Shutdown(ctx) }

// Close stops listening at once, for a service that never started serving.
func (s *Server) Close() error { return s.srv.Close() }
