// Command testdb starts and stops the throwaway Postgres cluster that the
// test runner (scripts/test) points TEST_DATABASE_URL at.
//
//	go run ./internal/testdb start DIR   # prints the admin URL
//	go run ./internal/testdb stop DIR
//	go run ./internal/testdb remove DIR  # stops it and deletes the folder
//
// The server keeps running after start returns: pg_ctl runs it in the
// background, so the tests that follow can use it.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"salesbot/localpg"
)

const usage = "usage: testdb start|stop|remove DIR"

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "testdb:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cmd, dir string) error {
	// Progress goes to stderr: stdout carries only the URL.
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	switch cmd {
	case "start":
		srv, err := localpg.Start(ctx, localpg.Options{Dir: dir, Fast: true, Install: true, Logger: log})
		if err != nil {
			return fmt.Errorf("start test database: %w", err)
		}
		fmt.Println(srv.AdminURL()) // holds the password: only for the caller
		return nil
	case "stop":
		if err := localpg.StopDir(ctx, dir); err != nil {
			return fmt.Errorf("stop test database: %w", err)
		}
		return nil
	case "remove":
		if err := localpg.RemoveDir(ctx, dir); err != nil {
			return fmt.Errorf("remove test database: %w", err)
		}
		return nil
	default:
		return fmt.Errorf("unknown command %q; %s", cmd, usage)
	}
}
