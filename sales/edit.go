package sales

import "salesbot/pipeline"

// EditDeal is a request to change a deal's fields as the Edit form has them.
type EditDeal struct {
	Team   string
	Actor  pipeline.User // as salesbot knows them, role included
	Number int64         // the deal's number in Team
	Form   pipeline.EditForm
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

// DealEdited is what EditDeal did. Changes is empty when the form changed
// nothing; After is then the deal as it was.
type DealEdited struct {
	Before, After pipeline.Deal
	Changes       []pipeline.FieldChange
}
