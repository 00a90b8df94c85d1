package pipeline

import (
	"errors"
	"strings"
	"testing"
)

// Winning a won deal says so once, without the sentinel's tail.
func TestSameStageWords(t *testing.T) {
	d := Deal{Number: 1, Stage: StageWon}
	_, err := PlanMove(d, DefaultStages(), Move{To: StageWon})
	if !errors.Is(err, ErrSameStage) {
		t.Fatalf("err = %v, want ErrSameStage", err)
	}
	if got, want := err.Error(), "D-1 is already Closed-won."; got != want {
		t.Errorf("err = %q, want %q", got, want)
	}
}

// The unknown-stage answer lists the stages as help writes them, and each
// listed word reads back as its stage.
func TestUnknownStageListsHelpWords(t *testing.T) {
	_, err := ParseStage("bogus", DefaultStages())
	if !errors.Is(err, ErrUnknownStage) {
		t.Fatalf("err = %v, want ErrUnknownStage", err)
	}
	msg := err.Error()
	if strings.Contains(msg, "needs_assessment") || !strings.Contains(msg, "needs assessment") {
		t.Errorf("err = %q, want %q listed as help writes it", msg, "needs assessment")
	}
	list := msg[strings.Index(msg, "use one of ")+len("use one of "):]
	for i, w := range strings.Split(list, ", ") {
		got, err := ParseStage(w, DefaultStages())
		if err != nil || got != DefaultStages()[i].Key {
			t.Errorf("listed %q reads as %q, %v; want %q", w, got, err, DefaultStages()[i].Key)
		}
	}
}
