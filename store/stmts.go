package store

import (
	"context"

	"github.com/jmoiron/sqlx"
)

// Hot-path statements (a New-lead submission, the per-request workspace and
// user look-ups) run prepared: for these short queries, parsing and planning
// cost more than running them, and a prepared statement takes one round trip
// instead of two. database/sql prepares each on a connection the first time
// that connection runs it.

// prepared returns query prepared on the pool, preparing it on first use, or
// nil when preparing fails (the caller then sends the text).
func (s *Store) prepared(ctx context.Context, query string) *sqlx.Stmt {
	if st := s.cached(query); st != nil {
		return st
	}
	st, err := s.db.PreparexContext(ctx, query)
	if err != nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if prev, ok := s.stmts[query]; ok {
		st.Close()
		return prev
	}
	s.stmts[query] = st
	return st
}

func (s *Store) cached(query string) *sqlx.Stmt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stmts[query]
}

// warm prepares queries ahead of a transaction that will run them. Inside a
// transaction only already-prepared statements are used: preparing there
// would take a second connection from the pool, and a burst of transactions
// could hold them all.
func (s *Store) warm(ctx context.Context, queries ...string) {
	for _, q := range queries {
		s.prepared(ctx, q)
	}
}

// get runs query for one row into dest through ex. On the store's pool it
// runs prepared; in a transaction it uses the statement when it is already
// prepared.
func (s *Store) get(ctx context.Context, ex Executor, dest any, query string, args ...any) error {
	switch ex := ex.(type) {
	case *sqlx.DB:
		if ex == s.db {
			if st := s.prepared(ctx, query); st != nil {
				return st.GetContext(ctx, dest, args...)
			}
		}
	case *sqlx.Tx:
		if st := s.cached(query); st != nil {
			return ex.StmtxContext(ctx, st).GetContext(ctx, dest, args...)
		}
	}
	return sqlx.GetContext(ctx, ex, dest, query, args...)
}

// exec runs query through ex, as get does.
func (s *Store) exec(ctx context.Context, ex Executor, query string, args ...any) error {
	var err error
	switch ex := ex.(type) {
	case *sqlx.DB:
		if ex == s.db {
			if st := s.prepared(ctx, query); st != nil {
				_, err = st.ExecContext(ctx, args...)
				return err
			}
		}
	case *sqlx.Tx:
		if st := s.cached(query); st != nil {
			_, err = ex.StmtxContext(ctx, st).ExecContext(ctx, args...)
			return err
		}
	}
	_, err = ex.ExecContext(ctx, query, args...)
	return err
}

// sel runs query for rows into dest through ex, prepared as get runs it.
func (s *Store) sel(ctx context.Context, ex Executor, dest any, query string, args ...any) error {
	switch ex := ex.(type) {
	case *sqlx.DB:
		if ex == s.db {
			if st := s.prepared(ctx, query); st != nil {
				return st.SelectContext(ctx, dest, args...)
			}
		}
	case *sqlx.Tx:
		if st := s.cached(query); st != nil {
			return ex.StmtxContext(ctx, st).SelectContext(ctx, dest, args...)
		}
	}
	return sqlx.SelectContext(ctx, ex, dest, query, args...)
}
