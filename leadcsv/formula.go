package leadcsv

import "strings"

// Spreadsheets run a cell that starts with one of these as a formula (=, +,
// - and @; tab and carriage return hide one behind white space).
const formulaStarts = "=+-@\t\r"

// neutralise keeps a spreadsheet from running cell as a formula: a cell that
// starts with a formula character, possibly after apostrophes, gets one more
// apostrophe in front. Adding it also to "'=…" is what lets restore give
// back a value that itself starts with an apostrophe.
func neutralise(cell string) string {
	if formulaLike(cell) {
		return "'" + cell
	}
	return cell
}

// restore undoes neutralise: it takes one apostrophe off a cell that is an
// apostrophe followed by what neutralise guards (apostrophes, then a formula
// character). Any other cell, such as "'Quoted", is left as it is.
func restore(cell string) string {
	if strings.HasPrefix(cell, "'") && formulaLike(cell[1:]) {
		return cell[1:]
	}
	return cell
}

// formulaLike reports whether s is any number of apostrophes followed by a
// formula character.
func formulaLike(s string) bool {
	s = strings.TrimLeft(s, "'")
	return s != "" && strings.ContainsRune(formulaStarts, rune(s[0]))
}
