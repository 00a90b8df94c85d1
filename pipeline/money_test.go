package pipeline

import (
	"errors"
	"testing"
)

func TestParseAmount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in       string
		currency string
		want     int64
		err      error
	}{
		{"12500", "USD", 1_250_000, nil},
		{"12,500.50", "USD", 1_250_050, nil},
		{"$12,500", "USD", 1_250_000, nil},
		{"USD 99.9", "USD", 9_990, nil},
		{"12.5k", "USD", 1_250_000, nil},
		{"2M", "EUR", 200_000_000, nil},
		{"0", "USD", 0, nil},
		{".5", "USD", 50, nil},
		{"1000", "JPY", 1000, nil},
		{"1.5", "JPY", 0, ErrAmountPrecision},
		{"1.001", "USD", 0, ErrAmountPrecision},
		{"1.0010", "KWD", 1001, nil},
		{"1000000000000", "USD", 100_000_000_000_000, nil},
		{"1000000000000.01", "USD", 0, ErrAmountTooLarge},
		{"1000001m", "USD", 0, ErrAmountTooLarge},
		{"99999999999999999999", "USD", 0, ErrAmountTooLarge},
		{"-5", "USD", 0, ErrAmountNegative},
		{"abc", "USD", 0, ErrAmountSyntax},
		{"1.2.3", "USD", 0, ErrAmountSyntax},
		{"k", "USD", 0, ErrAmountSyntax},
		{"12.", "USD", 0, ErrAmountSyntax},
		{"1e6", "USD", 0, ErrAmountSyntax},
	}
	for _, tt := range tests {
		got, err := ParseAmount(tt.in, tt.currency)
		if !errors.Is(err, tt.err) {
			t.Errorf("ParseAmount(%q) error = %v, want %v", tt.in, err, tt.err)
			continue
		}
		if err == nil && (got.Minor != tt.want || got.Currency != tt.currency) {
			t.Errorf("ParseAmount(%q) = %+v, want %d %s", tt.in, got, tt.want, tt.currency)
		}
	}
}

func TestMoneyString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		m    Money
		want string
	}{
		{Money{1_250_000, "USD"}, "$12,500"},
		{Money{1_250_050, "USD"}, "$12,500.50"},
		{Money{5, "EUR"}, "€0.05"},
		{Money{1200, "JPY"}, "¥1,200"},
		{Money{123_456_700, "CHF"}, "1,234,567 CHF"},
		{Money{-1000, "USD"}, "-$10"},
		{Money{0, "USD"}, "$0"},
	}
	for _, tt := range tests {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.m, got, tt.want)
		}
	}
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"12500", "12.5k", "$1,000.00", "-1", "1e9", "999999999999.99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseAmount(s, "USD")
		if err != nil {
			return
		}
		if m.Minor < 0 || m.Minor > MaxAmount*100 {
			t.Fatalf("ParseAmount(%q) = %d, outside 0..10^12", s, m.Minor)
		}
		back, err := ParseAmount(m.String(), "USD")
		if err != nil || back.Minor != m.Minor {
			t.Fatalf("round trip of %q via %q: %v %v", s, m.String(), back, err)
		}
	})
}
