package pipeline

import (
	"time"
)

// StageMove is one stage change of a deal, as the digest lists it.
type StageMove struct {
	DealNumber  int64
	AccountName string
	Title       string
	ActorID     string // "" for the bot
	From, To    Stage
	At          time.Time
}

// Digest is the daily digest of a workspace, or of one manager's team: what
// happened on the covered day and where the pipeline stands.
type Digest struct {
	Day      time.Time // the digest's date, local midnight in the workspace timezone
	Covered  Period    // the span whose events it reports: DigestCovered, since the previous working day
	Scope    string    // "" for the whole workspace, else whose team (a Slack user ID)
	Currency string
	Stages   []StageDef

	NewLeads   []Deal // created in Covered (at most DigestListLimit)
	NewCount   int    // all of them, when there are more than listed
	Moves      []StageMove
	MovesCount int
	Won, Lost  []Deal // closed in Covered, largest first (renderings list the first DigestListLimit)

	Pipeline                       []StageTotal // open deals by stage now
	PipelineOther                  []Money      // open amounts in other currencies
	ForecastMonth, ForecastQuarter Forecast

	StaleCount       int    // open deals idle past their stage's threshold
	OverdueCount     int    // follow-ups due before now and not done
	ClosingThisMonth []Deal // open deals expected to close this month, top 5 by amount

	Speed []RepSpeed // speed to lead per rep, of the leads offered in Covered
}

// DigestListLimit bounds the deals and moves a digest lists one by one; the
// counts say how many there were.
const DigestListLimit = 10

// ClosingTop is how many deals closing this month the digest shows.
const ClosingTop = 5

// WonAmount is the total won in the digest's day, in its currency.
func (d Digest) WonAmount() Money {
	m := Money{Currency: d.Currency}
	for _, w := range d.Won {
		if w.Value.Currency == d.Currency {
			m.Minor += w.Value.Minor
		}
	}
	return m
}
