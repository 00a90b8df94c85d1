package render

import (
	"errors"
	"fmt"
	"strings"

	"salesbot/pipeline"
	"salesbot/sales"
)

// Unavailable is what a person is told when their request failed for a
// reason that is not theirs to fix.
const Unavailable = ":warning: That did not work: salesbot could not reach its database. Nothing was changed; please try again in a minute."

// NotFound answers a deal number that does not exist in the person's
// workspace. It says the same whether the number exists elsewhere or not at all.
func NotFound(n int64) string {
	return fmt.Sprintf("I can't find %s in this workspace. `/deal find <text>` searches your deals.", pipeline.FormatRef(n))
}

// ErrorText is what a person is told when their request failed with err:
// rule violations and bad input in their own words. ok is false for any
// other error, which the caller logs, telling the person Unavailable.
func ErrorText(err error) (text string, ok bool) {
	var snf sales.ErrNotFound
	var invalid *sales.ValidationError
	switch {
	case err == nil:
		return "", false
	case errors.As(err, &snf):
		return ":mag: " + NotFound(snf.Number), true
	case errors.As(err, new(sales.ErrFollowUpNotFound)):
		return ":warning: That follow-up no longer exists in this workspace.", true
	case errors.As(err, &invalid):
		return ":warning: " + Escape(invalid.Error()), true // it may quote what was typed
	case errors.Is(err, sales.ErrOwnLeadsOnly):
		return ":no_entry: A rep sees their own leads; their manager sees their team's and an admin everyone's. `/lead list` shows yours.", true
	case errors.Is(err, pipeline.ErrForbidden):
		// Why is in the refusal's own text, after the sentinel's; it may
		// mention the deal's owner.
		return ":no_entry: " + Capitalize(strings.TrimPrefix(err.Error(), pipeline.ErrForbidden.Error()+": ")), true
	case errors.Is(err, pipeline.ErrSameStage), errors.Is(err, pipeline.ErrLostNeedsWhy),
		errors.Is(err, pipeline.ErrClosedToClosed), errors.Is(err, pipeline.ErrUnknownStage),
		errors.Is(err, pipeline.ErrWhenUnreadable), errors.Is(err, pipeline.ErrWhenPast),
		errors.Is(err, pipeline.ErrWhenTooFar):
		// These quote what the person typed: escape it.
		return ":warning: " + Escape(Capitalize(err.Error())), true
	case errors.Is(err, pipeline.ErrMissingFields):
		// It names the stage as the workspace labels it.
		return ":warning: " + Escape(err.Error()), true
	case errors.Is(err, pipeline.ErrApprovalNeeded), errors.Is(err, pipeline.ErrAlreadyDecided):
		// Their words are numbers, deal references and mentions: nothing typed.
		return ":no_entry: " + err.Error(), true
	case errors.Is(err, pipeline.ErrNotApprover), errors.Is(err, pipeline.ErrRejectNeedsWhy),
		errors.Is(err, pipeline.ErrNoApprover), errors.Is(err, pipeline.ErrApprovalNotFound),
		errors.Is(err, pipeline.ErrDiscountSyntax):
		return ":warning: " + Capitalize(err.Error()) + ".", true
	case errors.Is(err, sales.ErrNotPending):
		return ":warning: This offer was already answered.", true
	case errors.Is(err, sales.ErrConflict):
		return ":warning: The deal changed meanwhile: look at it again and retry.", true
	case errors.Is(err, sales.ErrOwnsAlready):
		return ":warning: The deal already belongs to them.", true
	}
	return "", false
}
