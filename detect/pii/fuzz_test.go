package pii

import (
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/internal/testkit"
)

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// FuzzValidators checks every validator against an independent statement
// of its rule: whatever it accepts must satisfy the check-digit algorithm,
// and no input may make one panic.
func FuzzValidators(f *testing.F) {
	for _, s := range []string{"", "9434765919", "4857773456", "QQ123456C", "AB123456C", "4111111111111111", "GB82WEST12345698765432",
		"GB29NWBK60161331926819", "07700900123", "+44 20 7946 0018", "12/03/1971", "1971-03-12", "31/02/2000", "MORGA753116SM9IJ",
		"SW1A 1AA", "1234567890", "GB999999973", "\xff\x00", "GB", "GB00"} {
		f.Add(s)
	}
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		d := digitsOf(s)
		// Callers pass digits only to the numeric validators.
		if validNHS(d) {
			sum := 0
			for i := range 9 {
				sum += int(d[i]-'0') * (10 - i)
			}
			if len(d) != 10 || (11-sum%11)%11 != int(d[9]-'0') {
				t.Errorf("validNHS accepted %q, which fails modulus 11", d)
			}
		}
		if luhn(d) != independentLuhn(d) {
			t.Errorf("luhn(%q) = %v, disagrees with the Luhn algorithm", d, luhn(d))
		}
		if validCard(d) && !independentLuhn(d) {
			t.Errorf("validCard accepted %q, which fails Luhn", d)
		}
		if validIBAN(s) && !mod97(s) {
			t.Errorf("validIBAN accepted %q, which fails ISO 7064 mod 97", s)
		}
		if validNINO(s) && (len(s) < 8 || !allDigits(s[2:8])) {
			t.Errorf("validNINO accepted %q", s)
		}
		if validUTR(d) && len(d) != 10 {
			t.Errorf("validUTR accepted %q", d)
		}
		_ = validVAT(d)
		_ = validLicence(s)
		_ = validPostcode(s)
		if libUKPhone(s) && !ukPersonalLead(s) {
			t.Errorf("ukPersonalLead rejects %q, which libphonenumber accepts", s)
		}
		if birthDate(s, now) && len(s) > 10 {
			t.Errorf("birthDate accepted %q", s)
		}
		_ = placeholderDigits(d)
		_ = keyKind(s)
	})
}

func independentLuhn(d string) bool {
	if d == "" {
		return true // no digits: a zero sum, as the algorithm has it
	}
	if !allDigits(d) {
		return false
	}
	sum := 0
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if (len(d)-1-i)%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

// mod97 is ISO 7064 over the rearranged IBAN, with big integers.
func mod97(s string) bool {
	r := s[4:] + s[:4]
	var num string
	for i := 0; i < len(r); i++ {
		c := r[i]
		switch {
		case isDigit(c):
			num += string(c)
		case isUpper(c):
			num += big.NewInt(int64(c-'A') + 10).String()
		default:
			return false
		}
	}
	n, ok := new(big.Int).SetString(num, 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

func FuzzDetect(f *testing.F) {
	for _, s := range []string{"", "name,email,nhs_number\nA B,a@b.com,943 476 5919\n", "DOB: 12/03/1971", "OFFICIAL-SENSITIVE", "SECRET\n\nx", "card 4111 1111 1111 1111"} {
		f.Add(s)
	}
	d := New(config.PersonalData{})
	f.Fuzz(func(t *testing.T, text string) { testkit.CheckDetector(t, d, "exports/people.csv", text) })
}

// FuzzShortcuts checks the scanner's fast paths against the plain
// computations they stand for.
func FuzzShortcuts(f *testing.F) {
	for _, s := range []string{"", "a 123\n456 b@c", "ref 12.34\n.56.78 1AB", "INSERT INTO t (a) VALUES", "\u00a0insert into people",
		"OFFICIAL\nborn 14 March", "Top Secret DOB", "01 23\n45 67 89"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s := &scanner{text: text, nextCand: -1}
		start := 0
		for _, line := range strings.Split(text, "\n") {
			end := start + len(line)
			if whole, alone := s.candidate(start, end), nextCandidate(line, 0) < len(line); whole != alone {
				t.Errorf("line %q of %q: candidate %v in the text, %v alone", line, text, whole, alone)
			}
			if tr := strings.TrimSpace(line); len(tr) > 11 && strings.EqualFold(tr[:11], "INSERT INTO") && !mayStartInsert(line) {
				t.Errorf("mayStartInsert(%q) = false", line)
			}
			start = end + 1
		}
		for _, set := range []wordSet{markingWords, dobFileWords} {
			want := false
			for _, g := range set {
				for _, w := range g.words {
					want = want || strings.Contains(text, w)
				}
			}
			if got := set.in(text); got != want {
				t.Errorf("wordSet.in(%q) = %v", text, got)
			}
		}
		if got, want := splitLines(nil, text), strings.Split(text, "\n"); !slices.Equal(got, want) {
			t.Errorf("splitLines(%q) = %q", text, got)
		}
	})
}
