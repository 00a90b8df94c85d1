package leadcsv

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"salesbot/pipeline"
)

// ExportColumns is the export's header: the import's columns plus what only
// the pipeline knows. An import reads the file back and ignores the extras.
var ExportColumns = []string{"number", "company", "title", "contact name", "contact email", "industry",
	"company size", "source", "value", "currency", "expected close", "owner", "stage", "created", "closed"}

// ExportDeal is a deal with its account's fields, as exported.
type ExportDeal struct {
	pipeline.Deal
	Industry    string
	CompanySize string
}

// Writer writes deals as CSV, header first.
type Writer struct {
	w      *csv.Writer
	header bool
}

// NewWriter returns a Writer on w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: csv.NewWriter(w)} }

// Write writes one deal (and the header before the first). Every cell that a
// spreadsheet would run as a formula is neutralised, except the value: the
// bot writes it as a plain number, never negative, and it must stay a number.
func (x *Writer) Write(d ExportDeal) error {
	if !x.header {
		x.header = true
		if err := x.w.Write(ExportColumns); err != nil {
			return err
		}
	}
	rec := []string{
		pipeline.FormatRef(d.Number), d.AccountName, d.Title, d.ContactName, d.ContactEmail, d.Industry,
		d.CompanySize, d.Source, "", d.Value.Currency, date(d.ExpectedClose), d.OwnerID,
		string(d.Stage), d.CreatedAt.UTC().Format(time.RFC3339), timestamp(d.ClosedAt),
	}
	for i, cell := range rec {
		rec[i] = neutralise(cell)
	}
	rec[valueColumn] = Amount(d.Value)
	return x.w.Write(rec)
}

// valueColumn is where ExportColumns has the value.
var valueColumn = slices.Index(ExportColumns, "value")

// Flush writes out what is buffered; an empty export still gets its header.
func (x *Writer) Flush() error {
	if !x.header {
		x.header = true
		if err := x.w.Write(ExportColumns); err != nil {
			return err
		}
	}
	x.w.Flush()
	return x.w.Error()
}

// Amount is m in major units without symbol or grouping ("12500.50"), which
// pipeline.ParseAmount reads back exactly; "" for no amount.
func Amount(m pipeline.Money) string {
	if m.Minor == 0 {
		return ""
	}
	digits := pipeline.MinorDigits(m.Currency)
	if digits == 0 {
		return strconv.FormatInt(m.Minor, 10)
	}
	scale := int64(1)
	for range digits {
		scale *= 10
	}
	return fmt.Sprintf("%d.%0*d", m.Minor/scale, digits, m.Minor%scale)
}

func date(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

func timestamp(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
