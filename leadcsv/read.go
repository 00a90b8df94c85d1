// Package leadcsv reads leads from CSV files and writes the pipeline as CSV.
// It is pure: it maps columns to the New lead form and validates rows with
// the pipeline's rules; storing them is the caller's business.
package leadcsv

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"

	"salesbot/pipeline"
)

// MaxRows bounds one import, so that one file cannot hold the bot for long.
const MaxRows = 10000

// column is a field a CSV column fills.
type column int

const (
	colIgnored column = iota // written by export, not read back
	colCompany
	colTitle
	colContactName
	colContactEmail
	colIndustry
	colCompanySize
	colSource
	colValue
	colExpectedClose
	colOwner
	colNotes
	colCurrency
)

// headers maps a normalised header to its column: the export's names and the
// New lead form's labels.
var headers = map[string]column{
	"company": colCompany, "account": colCompany, "company name": colCompany,
	"title": colTitle, "deal title": colTitle, "deal": colTitle,
	"contact name": colContactName, "contact": colContactName,
	"contact email": colContactEmail, "email": colContactEmail,
	"industry":     colIndustry,
	"company size": colCompanySize, "size": colCompanySize,
	"source": colSource,
	"value":  colValue, "estimated value": colValue, "amount": colValue,
	"expected close": colExpectedClose, "expected close date": colExpectedClose, "close date": colExpectedClose,
	"owner": colOwner,
	"notes": colNotes,
	// Written by export for people to read; an import does not set them.
	"currency": colCurrency,
	"number":   colIgnored, "stage": colIgnored, "created": colIgnored, "closed": colIgnored,
}

// Columns is the header line an import understands, in export order.
var Columns = []string{"company", "title", "contact name", "contact email", "industry",
	"company size", "source", "value", "expected close", "owner"}

// normalise folds case and runs of spaces, underscores and hyphens, so that
// "Contact_Email", " contact  email" and "CONTACT-EMAIL" are one header.
func normalise(h string) string {
	h = strings.TrimPrefix(h, "\ufeff") // a byte order mark from spreadsheets
	f := strings.FieldsFunc(strings.ToLower(h), func(r rune) bool {
		return unicode.IsSpace(r) || r == '_' || r == '-'
	})
	return strings.Join(f, " ")
}

// Row is one data line of the file as the New lead form.
type Row struct {
	Line     int // line number in the file, the header being line 1
	Form     pipeline.LeadForm
	Currency string // the currency column, "" when absent
}

// Rejected is a line that will not be imported, and why.
type Rejected struct {
	Line    int
	Company string
	Reason  string
}

// ErrHeader is a file whose header line cannot be used; nothing is imported.
var ErrHeader = errors.New("the CSV header")

// Read reads a CSV file whose first line names the columns. It returns the
// rows as forms (not validated yet) and the lines that cannot be read at all.
// An error means the whole file is unusable: no header, an unknown or repeated
// column, no company column, or more than MaxRows rows.
func Read(r io.Reader) ([]Row, []Rejected, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // counted here, to reject the line and not the file
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = false
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("%w is missing: the first line names the columns, such as %s", ErrHeader, strings.Join(Columns, ","))
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%w cannot be read: %s", ErrHeader, csvReason(err))
	}
	cols, err := mapHeader(head)
	if err != nil {
		return nil, nil, err
	}
	var rows []Row
	var bad []Rejected
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			bad = append(bad, Rejected{Line: perr.StartLine, Reason: csvReason(err)})
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("read CSV: %w", err)
		}
		if len(rows)+len(bad) >= MaxRows {
			return nil, nil, fmt.Errorf("the file has more than %d rows: split it into smaller files", MaxRows)
		}
		if blank(rec) {
			continue
		}
		line, _ := cr.FieldPos(0)
		row := Row{Line: line}
		if len(rec) != len(cols) {
			bad = append(bad, Rejected{Line: line, Company: field(rec, cols, colCompany),
				Reason: fmt.Sprintf("it has %d fields but the header has %d", len(rec), len(cols))})
			continue
		}
		fill(&row, rec, cols)
		rows = append(rows, row)
	}
	return rows, bad, nil
}

func mapHeader(head []string) ([]column, error) {
	cols := make([]column, len(head))
	seen := map[column]string{}
	for i, h := range head {
		c, ok := headers[normalise(h)]
		if !ok {
			return nil, fmt.Errorf("%w names a column salesbot does not know: %q. Known columns: %s (and notes, currency, number, stage, created, closed)",
				ErrHeader, clip(h, 40), strings.Join(Columns, ", "))
		}
		if prev, dup := seen[c]; dup && c != colIgnored {
			return nil, fmt.Errorf("%w has two columns for the same field: %q and %q", ErrHeader, clip(prev, 40), clip(h, 40))
		}
		seen[c] = h
		cols[i] = c
	}
	if !slices.Contains(cols, colCompany) {
		return nil, fmt.Errorf("%w has no company column; the first line names the columns, such as %s", ErrHeader, strings.Join(Columns, ","))
	}
	return cols, nil
}

func fill(row *Row, rec []string, cols []column) {
	f := &row.Form
	for i, c := range cols {
		v := restore(strings.TrimSpace(rec[i])) // as exported: see neutralise
		switch c {
		case colCompany:
			f.Company = v
		case colTitle:
			f.Title = v
		case colContactName:
			f.ContactName = v
		case colContactEmail:
			f.ContactEmail = v
		case colIndustry:
			f.Industry = v
		case colCompanySize:
			f.CompanySize = v
		case colSource:
			f.Source = strings.ToLower(v) // the labels are capitalised values
		case colValue:
			f.Value = v
		case colExpectedClose:
			f.ExpectedClose = v
		case colOwner:
			f.OwnerID = ownerID(v)
		case colNotes:
			f.Notes = v
		case colCurrency:
			row.Currency = strings.ToUpper(v)
		}
	}
}

// ownerID accepts a Slack mention ("<@U123>" or "<@U123|ann>") for the ID.
func ownerID(v string) string {
	if strings.HasPrefix(v, "<@") && strings.HasSuffix(v, ">") {
		v = strings.TrimSuffix(strings.TrimPrefix(v, "<@"), ">")
		v, _, _ = strings.Cut(v, "|")
	}
	return v
}

func field(rec []string, cols []column, want column) string {
	for i, c := range cols {
		if c == want && i < len(rec) {
			return restore(strings.TrimSpace(rec[i]))
		}
	}
	return ""
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// csvReason says what encoding/csv found wrong, without its position prefix
// (the report gives the line).
func csvReason(err error) string {
	var perr *csv.ParseError
	if errors.As(err, &perr) {
		switch {
		case errors.Is(perr.Err, csv.ErrBareQuote):
			return `a quote (") appears inside a field that is not quoted; quote the field and double the quote ("")`
		case errors.Is(perr.Err, csv.ErrQuote):
			return `a quoted field is not closed, or has text after its closing quote`
		}
		return perr.Err.Error()
	}
	return err.Error()
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
