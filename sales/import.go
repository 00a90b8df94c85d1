package sales

import "salesbot/leadcsv"

// ImportResult is what ImportLeads did.
type ImportResult struct {
	Report leadcsv.Report
	// Owners are the people whose deals changed: the importer and the
	// owners of the created leads.
	Owners []string
}
