package salesdb_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/store"
)

// A new lead is stored with the score a rescore of it gives: from its
// account as stored (an existing account keeps its industry), its source,
// its value and its notes as one recent activity.
func TestCreateLeadStoresTheScoreARescoreGives(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	ctx := t.Context()
	if err := e.st.WithTx(ctx, func(tx *sqlx.Tx) error {
		return e.st.SaveICP(ctx, tx, e.team, pipeline.ICP{Industries: []string{"retail"}, Sizes: []string{"51-200"}})
	}); err != nil {
		t.Fatal(err)
	}
	first := pipeline.NewLead{WorkspaceID: e.team, Company: "Globex", Industry: "Retail", CreatedBy: "U0REP1", OwnerID: "U0REP1", IdempotencyKey: "view:V1"}
	if _, err := e.svc.CreateLead(ctx, first); err != nil {
		t.Fatal(err)
	}
	in := pipeline.NewLead{WorkspaceID: e.team, Company: "GLOBEX", Industry: "Mining", CompanySize: "51-200", Source: "referral",
		Value: pipeline.Money{Minor: 500_00, Currency: "USD"}, Notes: "Met at the fair.", CreatedBy: "U0REP1", OwnerID: "U0REP1", IdempotencyKey: "view:V2"}
	res, err := e.svc.CreateLead(ctx, in)
	if err != nil {
		t.Fatal(err)
	}

	var stored struct {
		Score   int    `db:"score"`
		Reasons []byte `db:"reasons"`
	}
	if err := e.db.GetContext(ctx, &stored, `SELECT score, qualification->'reasons' AS reasons FROM deals WHERE workspace_id = $1 AND id = $2`,
		e.team, res.Deal.ID); err != nil {
		t.Fatal(err)
	}
	var storedReasons []string
	if err := json.Unmarshal(stored.Reasons, &storedReasons); err != nil {
		t.Fatalf("stored reasons %s: %v", stored.Reasons, err)
	}
	var rescored []store.Score
	if err := e.st.WithTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		rescored, err = e.svc.Rescore(ctx, tx, e.team, res.Deal.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(rescored) != 1 {
		t.Fatalf("rescored %d deals, want 1", len(rescored))
	}
	want := rescored[0]
	if stored.Score != want.Score || !slices.Equal(storedReasons, want.Reasons) {
		t.Errorf("stored score %d %q, a rescore gives %d %q", stored.Score, storedReasons, want.Score, want.Reasons)
	}
	if res.Deal.Score != want.Score || !slices.Equal(res.Deal.ScoreReasons, want.Reasons) {
		t.Errorf("returned score %d %q, a rescore gives %d %q", res.Deal.Score, res.Deal.ScoreReasons, want.Score, want.Reasons)
	}
	for _, r := range []string{"+10 industry fits (Retail)", "+10 size fits (51-200)", "+3 some engagement (1 in 30 days)", "+5 warm source (referral)", "+5 value estimated"} {
		if !slices.Contains(storedReasons, r) {
			t.Errorf("stored reasons %q lack %q", storedReasons, r)
		}
	}
}
