package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"salesbot/config"
	"salesbot/notices"
	"salesbot/outbox"
	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/sales/salesdb"
)

// cmdImport is `salesbot import --team T --file leads.csv [--as U…]`.
func cmdImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	team := fs.String("team", "", "Slack team (workspace) ID to import into (required)")
	file := fs.String("file", "", "CSV file, header line first (required; - reads standard input)")
	as := fs.String("as", "", "Slack user ID recorded as the importer (default: the first of SALESBOT_ADMINS)")
	if err := fs.Parse(args); err != nil {
		return &exitError{2, err}
	}
	cfg, err := config.Load(getenv, false)
	if err != nil {
		return &exitError{2, err}
	}
	if *as == "" && len(cfg.Admins) > 0 {
		*as = cfg.Admins[0]
	}
	switch {
	case *team == "" || *file == "":
		return &exitError{2, errors.New("import needs --team and --file")}
	case *as == "":
		return &exitError{2, errors.New("import needs --as U… (the importer) or SALESBOT_ADMINS")}
	}
	in, err := openInput(*file)
	if err != nil {
		return err
	}
	defer in.Close()
	log := newLogger(stderr, cfg.LogLevel)
	st, done, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer done()
	// Messages the import causes (owners' Accept/Reject) are only queued:
	// the running bot delivers them.
	ob, err := outbox.New(outbox.Config{DB: st.DB().DB, Log: log})
	if err != nil {
		return err
	}
	// Without Slack, routing takes every rep as active (a nil Directory);
	// the running bot finds the deactivated ones when it next routes.
	svc := salesdb.New(salesdb.Deps{Store: st, Outbox: salesdb.OutboxOf(ob, notices.Message), Log: log,
		Defaults: pipeline.Settings{Currency: "USD", Timezone: cfg.Location.String()}, Admins: cfg.Admins})
	res, err := svc.ImportLeads(ctx, *team, *as, in)
	fmt.Fprintln(stdout, res.Report.String())
	return err
}

// cmdExport is `salesbot export [--team T] [--file out.csv]`.
func cmdExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	team := fs.String("team", "", "Slack team (workspace) ID (default: the only one in the database)")
	file := fs.String("file", "", "where to write the CSV (default: standard output)")
	if err := fs.Parse(args); err != nil {
		return &exitError{2, err}
	}
	cfg, err := config.Load(getenv, false)
	if err != nil {
		return &exitError{2, err}
	}
	st, done, err := openStore(ctx, cfg, newLogger(stderr, cfg.LogLevel))
	if err != nil {
		return err
	}
	defer done()
	if *team == "" {
		ids, err := st.Workspaces(ctx, st.DB())
		if err != nil {
			return err
		}
		if len(ids) != 1 {
			return &exitError{2, fmt.Errorf("the database holds %d workspaces: say which with --team", len(ids))}
		}
		*team = ids[0]
	}
	svc := salesdb.New(salesdb.Deps{Store: st})
	if *file == "" {
		_, err = svc.ExportCSV(ctx, sales.ExportRequest{Team: *team}, stdout)
		return err
	}
	f, err := os.Create(*file)
	if err != nil {
		return err
	}
	n, err := svc.ExportCSV(ctx, sales.ExportRequest{Team: *team}, f)
	// A full disk may only show when the file is closed.
	if err = errors.Join(err, f.Close()); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%d deals of workspace %s written to %s\n", n, *team, *file)
	return nil
}

func openInput(name string) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(os.Stdin), nil
	}
	return os.Open(name)
}
