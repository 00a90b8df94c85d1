package commands

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/slack-go/slack"

	"salesbot/internal/pgtest"
	"salesbot/internal/slackfake"
	"salesbot/render"
	"salesbot/sales/salesdb"
	"salesbot/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestNewLeadSubmissionStatements counts the SQL statements one New-lead
// submission sends to Postgres, from the submission to its confirmation, so
// that a query added to this hot path fails here rather than only showing as
// a slower benchmark. The submitter owns the lead, as in the benchmark: no
// routing.
func TestNewLeadSubmissionStatements(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pq.NewConnector(pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	rec := &statements{}
	sdb := sql.OpenDB(countingConnector{conn, rec})
	t.Cleanup(func() { sdb.Close() })
	db := sqlx.NewDb(sdb, "postgres")
	fake := slackfake.New(t)
	st := store.New(db)
	app := New(Deps{Sales: salesdb.New(salesdb.Deps{Store: st}), Slack: webAPI{slack.New("xoxb-test", slack.OptionAPIURL(fake.APIURL()))}})
	team := pgtest.TeamID()

	submit := func(view, company string) Reply {
		cb := slack.InteractionCallback{Type: slack.InteractionTypeViewSubmission}
		cb.Team.ID, cb.User.ID = team, "U0MARIA"
		cb.View = slack.View{ID: view, CallbackID: render.LeadNewCallback, PrivateMetadata: `{"cur":"USD"}`, State: &slack.ViewState{
			Values: map[string]map[string]slack.BlockAction{
				"company": {"company": {Value: company}},
				"owner":   {"owner": {SelectedUser: "U0MARIA"}},
			},
		}}
		reply := app.Interaction(ctx, cb)
		if reply.Ack != nil {
			t.Fatalf("submission of %s answered %+v, want the form closed", company, reply.Ack)
		}
		if reply.Later != nil {
			if err := reply.Later(ctx); err != nil {
				t.Fatal(err)
			}
		}
		return reply
	}
	// The first lead of a workspace creates it and prepares the hot-path
	// statements on the connection; the count is of a later one.
	submit("V1", "Initech")
	rec.reset()
	if r := submit("V2", "Globex"); r.Later == nil {
		t.Fatal("no confirmation after a created lead")
	}
	got := rec.list()
	// In order:
	//  1. the workspace's settings and ICP (sales.Workspace)
	//  2. BEGIN the lead's transaction
	//  3. the advisory lock on the idempotency key
	//  4. the deal already stored under that key, if any
	//  5. the submitter and owner as users of the workspace
	//  6. the account, found or created
	//  7. the deal, with its number, score, history and note, in one statement
	//  8. COMMIT
	// Adjust only with a reason: every statement here is paid per lead.
	const want = 8
	if len(got) != want {
		t.Errorf("one New-lead submission sent %d statements, want %d:\n%s", len(got), want, strings.Join(got, "\n"))
	}
	msgs := fake.Messages("DU0MARIA")
	if len(msgs) != 2 || !strings.Contains(msgs[1].Text, "Globex") {
		t.Errorf("confirmations = %+v, want one per lead", msgs)
	}

	// A redelivered submission stores nothing new and confirms nothing again.
	submit("V2", "Globex")
	if n := len(fake.Messages("DU0MARIA")); n != 2 {
		t.Errorf("confirmations after a redelivery = %d, want 2", n)
	}
	var deals int
	if err := db.GetContext(ctx, &deals, `SELECT count(*) FROM deals WHERE workspace_id = $1`, team); err != nil {
		t.Fatal(err)
	}
	if deals != 2 {
		t.Errorf("deals = %d, want 2", deals)
	}
}

// statements records what a pool sends, one line per statement.
type statements struct {
	mu  sync.Mutex
	all []string
}

func (s *statements) add(q string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.all = append(s.all, strings.Join(strings.Fields(q), " "))
}

func (s *statements) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.all = nil
}

func (s *statements) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.all...)
}

// countingConnector is lib/pq with every statement recorded: queries,
// executions of prepared statements, and transaction begins and ends.
// Preparing is not counted: a statement is prepared once per connection.
type countingConnector struct {
	driver.Connector
	rec *statements
}

func (c countingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	cn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return countingConn{cn, c.rec}, nil
}

type countingConn struct {
	driver.Conn
	rec *statements
}

func (c countingConn) Prepare(q string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), q)
}

func (c countingConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	var st driver.Stmt
	var err error
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		st, err = p.PrepareContext(ctx, q)
	} else {
		st, err = c.Conn.Prepare(q)
	}
	if err != nil {
		return nil, err
	}
	return countingStmt{st, q, c.rec}, nil
}

func (c countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	c.rec.add("BEGIN")
	tx, err := c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return countingTx{tx, c.rec}, nil
}

func (c countingConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	qc, ok := c.Conn.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	c.rec.add(q)
	return qc.QueryContext(ctx, q, args)
}

func (c countingConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	ec, ok := c.Conn.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	c.rec.add(q)
	return ec.ExecContext(ctx, q, args)
}

func (c countingConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c countingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c countingConn) CheckNamedValue(nv *driver.NamedValue) error {
	if v, ok := c.Conn.(driver.NamedValueChecker); ok {
		return v.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

type countingTx struct {
	driver.Tx
	rec *statements
}

func (t countingTx) Commit() error   { t.rec.add("COMMIT"); return t.Tx.Commit() }
func (t countingTx) Rollback() error { t.rec.add("ROLLBACK"); return t.Tx.Rollback() }

type countingStmt struct {
	driver.Stmt
	q   string
	rec *statements
}

func (s countingStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	s.rec.add(s.q)
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (s countingStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	s.rec.add(s.q)
	return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
}

func (s countingStmt) CheckNamedValue(nv *driver.NamedValue) error {
	if v, ok := s.Stmt.(driver.NamedValueChecker); ok {
		return v.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}
