package pii

import (
	"strconv"
	"testing"
	"time"
)

func TestValidNHS(t *testing.T) {
	r := newRand(11)
	for range 200 {
		n := genNHS(r)
		if !validNHS(n) {
			t.Fatalf("generated NHS number rejected (len %d)", len(n))
		}
		if validNHS(breakCheck(n)) {
			t.Fatalf("NHS number with a wrong check digit accepted")
		}
	}
	// The 999 range is the NHS's test range; a valid check digit there is
	// still a test value.
	for _, s := range []string{"9990000018", "9999999999", "4444444444", "123456789"} {
		if validNHS(s) {
			t.Errorf("test or malformed NHS value accepted: %s", s)
		}
	}
}

func TestValidNINO(t *testing.T) {
	r := newRand(12)
	for range 200 {
		if n := genNINO(r); !validNINO(n) {
			t.Fatal("generated NINO rejected")
		}
	}
	for _, s := range []string{
		"QQ" + "123456C", // HMRC's documented example
		"DA" + "294817A", // D is never a first letter
		"AO" + "294817A", // O is never a second letter
		"GB" + "294817A", // unallocated prefix
		"NK" + "294817B", // unallocated prefix
		"JK" + "294817E", // suffix beyond D
		"JK" + "29481",   // too short
	} {
		if validNINO(s) {
			t.Errorf("invalid NINO accepted: %s", s)
		}
	}
	if !validNINO("JK" + "294817") {
		t.Error("NINO without suffix rejected")
	}
}

func TestValidUTR(t *testing.T) {
	r := newRand(13)
	caught := 0
	for range 200 {
		n := genUTR(r)
		if !validUTR(n) {
			t.Fatal("generated UTR rejected")
		}
		// The check table maps two remainders to each of 1 and 2, so a
		// changed digit is caught most but not all of the time.
		b := []byte(n)
		b[5] = '0' + (b[5]-'0'+1)%10
		if !validUTR(string(b)) {
			caught++
		}
	}
	if caught < 160 {
		t.Errorf("changed digits caught only %d/200 times", caught)
	}
}

func TestValidVAT(t *testing.T) {
	r := newRand(14)
	for range 200 {
		n := genVAT(r, 55)
		if old := genVAT(r, 0); !validVAT(old) {
			t.Fatal("generated mod 97 VAT number rejected")
		}
		if !validVAT(n) || !validVAT(n+"001") {
			t.Fatal("generated VAT number rejected")
		}
		b := []byte(n)
		b[2] = '0' + (b[2]-'0'+1)%10
		if validVAT(string(b)) {
			t.Fatal("VAT number with a changed digit accepted")
		}
	}
}

func TestValidCard(t *testing.T) {
	r := newRand(15)
	for _, c := range []struct {
		prefix string
		n      int
		issuer string
	}{{"4", 16, "Visa"}, {"53", 16, "Mastercard"}, {"2221", 16, "Mastercard"}, {"37", 15, "Amex"}, {"6011", 16, "Discover"}, {"3530", 16, "JCB"}} {
		for range 50 {
			n := genCard(r, c.prefix, c.n)
			if !validCard(n) || cardIssuer(n) != c.issuer {
				t.Fatalf("generated %s card rejected or misnamed (%s)", c.issuer, cardIssuer(n))
			}
			if validCard(breakCheck(n)) {
				t.Fatalf("%s card with a wrong Luhn digit accepted", c.issuer)
			}
		}
	}
	for _, s := range []string{"4111111111111111", "4242424242424242", "5555555555554444", "378282246310005",
		"4000056655665556", "6011111111111117", "4000000000000002"} {
		if validCard(s) {
			t.Errorf("published test card accepted: %s", s[:4])
		}
	}
	// Luhn-valid but outside every issuer range.
	if validCard("1000000000000008") {
		t.Error("card outside issuer ranges accepted")
	}
}

func TestValidIBAN(t *testing.T) {
	r := newRand(16)
	for _, c := range []struct {
		cc, bank string
		n        int
	}{{"GB", "MIDL", 14}, {"DE", "", 18}, {"FR", "", 23}, {"NL", "RABO", 10}} {
		for range 50 {
			n := genIBAN(r, c.cc, c.bank, c.n)
			if !validIBAN(n) {
				t.Fatalf("generated %s IBAN rejected", c.cc)
			}
			if validIBAN(breakCheck(n)) {
				t.Fatalf("%s IBAN with a changed digit accepted", c.cc)
			}
		}
	}
	for _, s := range []string{"GB82WEST12345698765432", "GB33BUKB20201555555555", "DE89370400440532013000", "GB29NWBK60161331926819"} {
		if validIBAN(s) {
			t.Errorf("documentation IBAN accepted: %s", s[:4])
		}
	}
}

func TestValidLicence(t *testing.T) {
	r := newRand(17)
	for range 50 {
		if l := genLicence(r); !validLicence(l) {
			t.Fatal("generated licence rejected")
		}
	}
	for _, s := range []string{"MORGA713179JA9AB" /* month 13 */, "MORGA7010", "morga701179ja9ab", "1ORGA701179JA9AB"} {
		if validLicence(s) {
			t.Errorf("bad licence accepted: %s", s)
		}
	}
}

func TestValidPostcode(t *testing.T) {
	for _, s := range []string{"LS14AB", "SW1A1AA", "M11AE", "EC1A1BB", "B338TH", "BT71NN"} {
		if !validPostcode(s) {
			t.Errorf("postcode rejected: %s", s)
		}
	}
	for _, s := range []string{"QQ14AB", "XY11AA", "LS14CB" /* C never in inward */, "LS1AB", "V11AA"} {
		if validPostcode(s) {
			t.Errorf("invalid postcode accepted: %s", s)
		}
	}
}

func TestUKPhone(t *testing.T) {
	r := newRand(18)
	for range 50 {
		if m := genMobile(r); !ukPhone(m) {
			t.Fatal("generated mobile rejected")
		}
	}
	// Ofcom's drama ranges and non-personal ranges stay quiet.
	drama := []string{"01632 960", "020 7946 0", "07700 900", "0113 496 0", "0114 496 0", "0115 496 0", "0116 496 0",
		"0117 496 0", "0118 496 0", "0121 496 0", "0131 496 0", "0141 496 0", "0151 496 0", "0161 496 0",
		"028 9649 6", "029 2018 0", "0808 157 0", "0909 879 0", "0306 999 0"}
	for _, p := range drama {
		n := p + "381"[:11-len(digitsOf(p))]
		if len(digitsOf(n)) < 11 {
			n += "0"
		}
		if ukPhone(n) {
			t.Errorf("drama number accepted: %s...", p)
		}
	}
	for _, s := range []string{"0800 123 4471", "0345 600 9412", "12345", "0000000000"} {
		if ukPhone(s) {
			t.Errorf("non-personal number accepted: %s", s)
		}
	}
}

// TestUKPersonalLead checks that the cheap pre-filter never rejects a
// number libphonenumber accepts, over the prefixes Parse strips and the
// layouts free text and keyed values use.
func TestUKPersonalLead(t *testing.T) {
	r := newRand(20)
	prefixes := []string{"", "0", "00", "000", "+", "+44", "+44 ", "+44 (0)", "+440", "44", "440", "44 0", "0044", "0044 0",
		"00440", "4400", "44 00", "+4400", "0044 00", "(0", "+(44)", "+4", "0 44", "+1", "001", "+353", "0033", "18002 0", "+44 18002 0",
		"44 0 180020", "44 180020 0", "0044 180020", "0 180020"}
	seps := []string{"", " ", "-", "  "}
	accepted, filtered := 0, 0
	for range 10000 {
		// Around the 9 to 11 digits UK numbers have after the prefix, half
		// of them starting as geographic and mobile numbers do.
		n := prefixes[r.IntN(len(prefixes))]
		for j, d := range randDigits(r, 7+r.IntN(7)) {
			if j > 0 && r.IntN(4) == 0 {
				n += seps[r.IntN(len(seps))]
			}
			if j == 0 && r.IntN(2) == 0 {
				d = rune("127"[r.IntN(3)])
			}
			n += string(d)
		}
		lib := libUKPhone(n)
		if lib {
			accepted++
		}
		if !ukPersonalLead(n) {
			filtered++
			if lib {
				t.Fatalf("pre-filter rejects a number libphonenumber accepts (layout %q)", layout(n))
			}
		}
	}
	// Both sides must have been exercised for the check to mean anything.
	if accepted < 100 || filtered < 5000 {
		t.Errorf("weak sample: %d accepted, %d filtered", accepted, filtered)
	}
	// Random digits seldom fall in the few ranges of nine-digit numbers
	// (01204 6x xxx and the like).
	for _, p := range []string{"0", "+44 ", "0044 ", "44 0", "18002 0"} {
		n := p + "12046" + string(rune('1'+r.IntN(4))) + randDigits(r, 3)
		if !libUKPhone(n) || !ukPersonalLead(n) {
			t.Errorf("nine-digit number (layout %q): libphonenumber %v, pre-filter %v", layout(n), libUKPhone(n), ukPersonalLead(n))
		}
	}
}

// layout hides the digits of a test number, keeping its prefix.
func layout(n string) string {
	b := []byte(n)
	for i, seen := 0, 0; i < len(b); i++ {
		if isDigit(b[i]) {
			if seen++; seen > 5 {
				b[i] = '9'
			}
		}
	}
	return string(b)
}

func TestBirthDate(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, s := range []string{"14/03/1985", "1985-03-14", "01.12.1950", "3/4/2001"} {
		if !birthDate(s, now) {
			t.Errorf("date rejected: %s", s)
		}
	}
	for _, s := range []string{"31/02/1985", "1985-13-01", "01/01/1850", "01/01/2030", "1.2.3", "2024-01-01-01"} {
		if birthDate(s, now) {
			t.Errorf("impossible birth date accepted: %s", s)
		}
	}
}

func TestWordDate(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, s := range []string{"14 March 1985", "Mar 14, 1985", "1st September 1960", "3 may 2001"} {
		if !wordDate(s, now) {
			t.Errorf("date rejected: %s", s)
		}
	}
	for _, s := range []string{"31 February 1985", "Version 1985", "14 Smarch 1985", "March 2020"} {
		if wordDate(s, now) {
			t.Errorf("bad date accepted: %s", s)
		}
	}
}

func TestPlaceholderDigits(t *testing.T) {
	for _, s := range []string{"1111111111", "1212121212", "0123456789", "4000000000000002"} {
		if !placeholderDigits(s) {
			t.Errorf("placeholder not recognised: %s", s)
		}
	}
	r := newRand(19)
	quiet := 0
	for range 100 {
		if !placeholderDigits(genNHS(r)) {
			quiet++
		}
	}
	if quiet < 95 {
		t.Errorf("too many random numbers taken for placeholders: %d/100 kept", quiet)
	}
}

func TestRejectedPhones(t *testing.T) {
	var r rejectedPhones
	m := genMobile(newRand(21))
	for range 2 {
		if !r.ukPhone(m) {
			t.Fatal("generated mobile rejected")
		}
		if r.ukPhone("0000 000000") {
			t.Fatal("placeholder number accepted")
		}
	}
	if r.n.Load() != 1 {
		t.Errorf("%d numbers remembered, want only the one rejection", r.n.Load())
	}
	for i := range maxRejectedPhones + 10 {
		if r.ukPhone(strconv.Itoa(i)) {
			t.Fatalf("short number %d accepted", i)
		}
	}
	kept := 0
	r.seen.Range(func(any, any) bool { kept++; return true })
	if kept != maxRejectedPhones {
		t.Errorf("%d rejections kept, want the cap of %d", kept, maxRejectedPhones)
	}
}
