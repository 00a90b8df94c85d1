package pipeline

// Stage is the key of a pipeline stage, such as "lead" or "won".
type Stage string

// The default stages, in pipeline order.
const (
	StageLead            Stage = "lead"
	StageQualified       Stage = "qualified"
	StageNeedsAssessment Stage = "needs_assessment"
	StageProposal        Stage = "proposal"
	StageNegotiation     Stage = "negotiation"
	StageWon             Stage = "won"
	StageLost            Stage = "lost"
)

// StageDef describes one stage of a workspace's pipeline.
type StageDef struct {
	Key         Stage
	Label       string
	Position    int
	Probability int // win probability in percent, used by the weighted forecast
	StaleDays   int // days without activity before an open deal counts as stale; 0 = never
}

// Closed reports whether a deal in this stage is finished (won or lost).
func (s Stage) Closed() bool { return s == StageWon || s == StageLost }

// DefaultStages is the stage table every new workspace starts with.
func DefaultStages() []StageDef {
	return []StageDef{
		{Key: StageLead, Label: "Lead", Position: 1, Probability: 5, StaleDays: 7},
		{Key: StageQualified, Label: "Qualified", Position: 2, Probability: 10, StaleDays: 10},
		{Key: StageNeedsAssessment, Label: "Needs assessment", Position: 3, Probability: 25, StaleDays: 14},
		{Key: StageProposal, Label: "Proposal & quote", Position: 4, Probability: 50, StaleDays: 10},
		{Key: StageNegotiation, Label: "Negotiation", Position: 5, Probability: 75, StaleDays: 7},
		{Key: StageWon, Label: "Closed-won", Position: 6, Probability: 100},
		{Key: StageLost, Label: "Closed-lost", Position: 7, Probability: 0},
	}
}

// StageLabel returns the human label of a default stage key, or the key itself.
func StageLabel(s Stage) string {
	for _, d := range DefaultStages() {
		if d.Key == s {
			return d.Label
		}
	}
	return string(s)
}
