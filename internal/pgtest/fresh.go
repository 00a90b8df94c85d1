package pgtest

import (
	"context"
	"testing"
	"time"

	"github.com/lib/pq"
)

// Fresh creates an empty database of the test's own, with no schema (the
// code under test migrates it), and drops it when the test ends. It is for
// tests whose processes see every workspace of their database, such as
// running replicas of the real binary.
func Fresh(t testing.TB) string {
	t.Helper()
	p := shared.get(t)
	name := databaseName(packagePath() + "_fresh")
	dbURL, err := withDatabase(p.admin, name)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := execAdmin(ctx, p.admin, "CREATE DATABASE "+pq.QuoteIdentifier(name)); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := execAdmin(ctx, p.admin, "DROP DATABASE IF EXISTS "+pq.QuoteIdentifier(name)+" WITH (FORCE)"); err != nil {
			t.Logf("pgtest: drop database %s: %v", name, err)
		}
	})
	return dbURL
}
