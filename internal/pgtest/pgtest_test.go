package pgtest

import (
	"context"
	"database/sql"
	"log/slog"
	"regexp"
	"strings"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

// TestCreateAndDrop runs the creation path with a stand-in for the schema,
// so that it tests pgtest rather than the migrations.
func TestCreateAndDrop(t *testing.T) {
	var migrated bool
	p := &packageDB{migrate: func(ctx context.Context, db *sql.DB, _ *slog.Logger) error {
		migrated = true
		_, err := db.ExecContext(ctx, `CREATE TABLE marker (id int)`)
		return err
	}}
	got := p.get(t)
	if !migrated {
		t.Fatal("migrate was not called")
	}
	if !strings.HasPrefix(got.name, "test_internal_pgtest_") {
		t.Errorf("database name %q, want it to start with test_internal_pgtest_", got.name)
	}
	if again := p.get(t); again.db != got.db {
		t.Error("second get opened another pool; want the package's one")
	}
	var current string
	if err := got.db.GetContext(t.Context(), &current, `SELECT current_database()`); err != nil || current != got.name {
		t.Fatalf("connected to %q (err %v), want %q", current, err, got.name)
	}
	if _, err := got.db.ExecContext(t.Context(), `INSERT INTO marker VALUES (1)`); err != nil {
		t.Fatalf("schema from migrate missing: %v", err)
	}

	name := got.name
	if err := p.drop(); err != nil {
		t.Fatalf("drop: %v", err)
	}
	admin, err := sql.Open("postgres", p.admin)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var exists bool
	if err := admin.QueryRowContext(t.Context(), `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if exists {
		t.Errorf("database %s still exists after drop", name)
	}
}

func TestDatabaseName(t *testing.T) {
	valid := regexp.MustCompile(`^test_[a-z0-9_]+_[0-9a-f]{8}$`)
	tests := []struct{ pkg, prefix string }{
		{"salesbot/store", "test_store_"},
		{"salesbot/internal/pgtest", "test_internal_pgtest_"},
		{"example.com/Other-Module/x", "test_example_com_other_module_x_"},
		{"salesbot/" + strings.Repeat("very/long/", 10) + "tail", "test_"},
	}
	for _, tt := range tests {
		got := databaseName(tt.pkg)
		if !strings.HasPrefix(got, tt.prefix) || !valid.MatchString(got) || len(got) > 63 {
			t.Errorf("databaseName(%q) = %q, want a valid name under 64 bytes starting %q", tt.pkg, got, tt.prefix)
		}
	}
	if a, b := databaseName("salesbot/store"), databaseName("salesbot/store"); a == b {
		t.Errorf("two names for one package are both %q; want a random suffix", a)
	}
}

func TestWithDatabase(t *testing.T) {
	got, err := withDatabase("postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "test_x")
	if want := "postgres://postgres@127.0.0.1:5432/test_x?sslmode=disable"; err != nil || got != want {
		t.Errorf("withDatabase = %q, %v; want %q", got, err, want)
	}
	if _, err := withDatabase("host=localhost dbname=x", "test_x"); err == nil {
		t.Error("withDatabase accepted a key=value string; want an error asking for a URL")
	}
}

func TestTeamID(t *testing.T) {
	id := TeamID()
	if !regexp.MustCompile(`^T[A-Z0-9]{10}$`).MatchString(id) {
		t.Errorf("TeamID() = %q, want T and ten upper-case letters or digits", id)
	}
	if TeamID() == id {
		t.Error("two TeamIDs are equal")
	}
}
