package pipeline

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Money is an amount in integer minor units (cents) of an ISO 4217 currency.
// Floats never hold money: rounding errors in a forecast are a bug report.
type Money struct {
	Minor    int64
	Currency string
}

// MaxAmount is the largest amount, in major units, that a deal may carry.
const MaxAmount = 1_000_000_000_000

// currencyDigits lists currencies whose minor unit is not the usual two digits.
var currencyDigits = map[string]int{"JPY": 0, "KRW": 0, "CLP": 0, "ISK": 0, "VND": 0, "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3}

var currencySymbols = map[string]string{"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "CAD": "CA$", "AUD": "A$"}

// MinorDigits returns how many decimal digits the currency's minor unit has.
func MinorDigits(currency string) int {
	if d, ok := currencyDigits[currency]; ok {
		return d
	}
	return 2
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// ValidCurrency reports whether code looks like an ISO 4217 code (three capital letters).
func ValidCurrency(code string) bool {
	if len(code) != 3 {
		return false
	}
	for _, r := range code {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// Errors returned by ParseAmount; their text is shown to users.
var (
	ErrAmountSyntax    = errors.New("enter an amount such as 12500, 12,500.50 or 12.5k")
	ErrAmountNegative  = errors.New("the amount cannot be negative")
	ErrAmountTooLarge  = errors.New("the amount cannot exceed 1,000,000,000,000")
	ErrAmountPrecision = errors.New("the amount has more decimals than the currency allows")
)

// ParseAmount reads a user-typed amount ("12500", "$12,500.50", "12.5k", "2m")
// into minor units of currency. Thousands separators and a leading currency
// symbol are accepted; anything else is an error that says what to type.
func ParseAmount(s, currency string) (Money, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, currency)
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "-") {
		return Money{}, ErrAmountNegative
	}
	s = strings.TrimLeft(s, "$€£¥₹")
	s = strings.ReplaceAll(s, ",", "")
	s = strings.ReplaceAll(s, "_", "")
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "k") || strings.HasSuffix(s, "K"):
		mult, s = 1_000, s[:len(s)-1]
	case strings.HasSuffix(s, "m") || strings.HasSuffix(s, "M"):
		mult, s = 1_000_000, s[:len(s)-1]
	}
	if s == "" {
		return Money{}, ErrAmountSyntax
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	if !allDigits(whole) || (hasDot && (frac == "" || !allDigits(frac))) {
		return Money{}, ErrAmountSyntax
	}
	if len(whole) > 13 {
		return Money{}, ErrAmountTooLarge
	}
	digits := MinorDigits(currency)
	frac = strings.TrimRight(frac, "0")
	if len(frac) > 9 {
		return Money{}, ErrAmountPrecision
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	if w > MaxAmount/mult {
		return Money{}, ErrAmountTooLarge
	}
	var f int64
	if frac != "" {
		f, _ = strconv.ParseInt(frac, 10, 64)
	}
	// Whole and fraction are scaled apart so that nothing overflows int64 and
	// "12.5k" stays exact.
	fracMinor := f * mult * pow10(digits)
	if fracMinor%pow10(len(frac)) != 0 {
		return Money{}, ErrAmountPrecision
	}
	minor := w*mult*pow10(digits) + fracMinor/pow10(len(frac))
	if minor > MaxAmount*pow10(digits) {
		return Money{}, ErrAmountTooLarge
	}
	return Money{Minor: minor, Currency: currency}, nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// String formats the amount for people: "$12,500", "€1,200.50", "12,000 CHF".
func (m Money) String() string {
	digits := MinorDigits(m.Currency)
	neg := m.Minor < 0
	v := m.Minor
	if neg {
		v = -v
	}
	scale := pow10(digits)
	whole, frac := v/scale, v%scale
	out := groupThousands(strconv.FormatInt(whole, 10))
	if frac != 0 {
		out += fmt.Sprintf(".%0*d", digits, frac)
	}
	if neg {
		out = "-" + out
	}
	if sym, ok := currencySymbols[m.Currency]; ok {
		if neg {
			return "-" + sym + out[1:]
		}
		return sym + out
	}
	return out + " " + m.Currency
}

func groupThousands(s string) string {
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	pre := len(s) % 3
	if pre > 0 {
		b.WriteString(s[:pre])
	}
	for i := pre; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}
