package pii

import (
	"bytes"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nyaruka/phonenumbers"
)

// digitsOf keeps only the ASCII digits of s.
func digitsOf(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// placeholderDigits reports digit strings that people type as examples:
// long runs of one digit, a repeating short pattern, or counting sequences.
func placeholderDigits(d string) bool {
	if len(d) < 6 {
		return false
	}
	run, longest := 1, 1
	for i := 1; i < len(d); i++ {
		if d[i] == d[i-1] {
			run++
			if run > longest {
				longest = run
			}
		} else {
			run = 1
		}
	}
	if longest >= 6 || longest*2 > len(d) {
		return true
	}
	for p := 1; p <= 4; p++ {
		periodic := true
		for i := p; i < len(d); i++ {
			if d[i] != d[i-p] {
				periodic = false
				break
			}
		}
		if periodic {
			return true
		}
	}
	for _, seq := range []string{"123456", "234567", "345678", "456789", "987654", "876543", "012345"} {
		if strings.Contains(d, seq) {
			return true
		}
	}
	return false
}

// validNHS checks an NHS number's modulus 11 check digit and that it lies in
// the ranges issued to patients; 999 numbers are the NHS's own test range.
func validNHS(d string) bool {
	if len(d) != 10 || strings.HasPrefix(d, "999") {
		return false
	}
	switch d[0] {
	case '3', '4', '6', '7':
	default:
		return false
	}
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(d[i]-'0') * (10 - i)
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check != 10 && check == int(d[9]-'0') && !placeholderDigits(d)
}

// validNINO applies HMRC's allocation rules to a normalised National
// Insurance number (two letters, six digits, optional suffix A-D).
func validNINO(s string) bool {
	if len(s) != 8 && len(s) != 9 {
		return false
	}
	a, b := s[0], s[1]
	if !isUpper(a) || !isUpper(b) || strings.IndexByte("DFIQUV", a) >= 0 || strings.IndexByte("DFIOQUV", b) >= 0 {
		return false
	}
	switch s[:2] {
	case "BG", "GB", "NK", "KN", "TN", "NT", "ZZ":
		return false
	}
	for i := 2; i < 8; i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	if len(s) == 9 && (s[8] < 'A' || s[8] > 'D') {
		return false
	}
	return !placeholderDigits(s[2:8])
}

// validUTR checks a 10-digit Unique Taxpayer Reference, whose first digit
// is a weighted modulus 11 check over the other nine.
func validUTR(d string) bool {
	if len(d) != 10 {
		return false
	}
	weights := [9]int{6, 7, 8, 9, 10, 5, 4, 3, 2}
	sum := 0
	for i, w := range weights {
		sum += int(d[i+1]-'0') * w
	}
	return "21987654321"[sum%11] == d[0] && !placeholderDigits(d)
}

// validVAT checks a UK VAT registration number (9 digits, or 12 with a
// branch suffix) with both the modulus 97 and the newer "9755" scheme.
func validVAT(d string) bool {
	if len(d) == 12 {
		d = d[:9]
	}
	if len(d) != 9 {
		return false
	}
	weights := [9]int{8, 7, 6, 5, 4, 3, 2, 10, 1}
	sum := 0
	for i, w := range weights {
		sum += int(d[i]-'0') * w
	}
	r := sum % 97
	return (r == 0 || r == 42) && !placeholderDigits(d)
}

// luhn is the payment card check digit.
func luhn(d string) bool {
	sum, double := 0, false
	for i := len(d) - 1; i >= 0; i-- {
		n := int(d[i] - '0')
		if double {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
		double = !double
	}
	return sum%10 == 0
}

// cardIssuer names the scheme whose issuer range and length d fits, or "".
func cardIssuer(d string) string {
	n := len(d)
	p2 := atoi(d[:2])
	p4 := atoi(d[:4])
	p3 := p4 / 10
	switch {
	case d[0] == '4' && (n == 13 || n == 16 || n == 19):
		return "Visa"
	case (p2 >= 51 && p2 <= 55 || p4 >= 2221 && p4 <= 2720) && n == 16:
		return "Mastercard"
	case (p2 == 34 || p2 == 37) && n == 15:
		return "Amex"
	case (p4 == 6011 || p3 >= 644 && p3 <= 649 || p2 == 65) && n >= 16 && n <= 19:
		return "Discover"
	case p4 >= 3528 && p4 <= 3589 && n >= 16 && n <= 19:
		return "JCB"
	case (p3 >= 300 && p3 <= 305 || p2 == 36 || p2 == 38) && n >= 14 && n <= 19:
		return "Diners"
	case (p2 == 50 || p2 >= 56 && p2 <= 69) && n >= 12 && n <= 19:
		return "Maestro"
	}
	return ""
}

// testCards are the card numbers payment providers publish for testing.
var testCards = setOf(
	"4111111111111111", "4242424242424242", "4012888888881881", "4222222222222", "4000056655665556",
	"4005519200000004", "4009348888881881", "4012000033330026", "4012000077777777", "4217651111111119",
	"4500600000000061", "4917610000000000", "4462030000000000", "4917300800000000", "4484070000000000",
	"5555555555554444", "5105105105105100", "5200828282828210", "2223003122003222", "5454545454545454",
	"5425233430109903", "2222405343248877", "2223000048400011", "5100290029002909", "5431111111111111",
	"378282246310005", "371449635398431", "378734493671000", "340000000000009", "370000000000002",
	"6011111111111117", "6011000990139424", "6011000400000000", "6011601160116611", "6445644564456445",
	"3056930009020004", "36227206271667", "30569309025904", "38520000023237", "36006666333344",
	"3566002020360505", "3530111333300000", "3566111111111113", "6200000000000005", "6759649826438453",
	"6799990100000000019", "4000000000000002", "4000000000000077", "4000002500003155", "4000002760003184",
	"4000003800000446", "4000000760000002", "4000001240000000", "4000008260003178", "4000000000003220",
	"4000000000003063", "4000000000009995", "4000000000000341", "4000000000000069", "4000000000000127",
	// Adyen, Checkout.com, Worldpay and Braintree test cards.
	"4111111145551142", "4988438843884305", "4166676667666746", "4646464646464644", "4000620000000007",
	"4000060000000006", "4293189100000008", "4988080000000000", "4444333322221111", "4001590000000001",
	"4000180000000002", "5555341244441115", "5577000055770004", "5555444433331111", "2222410740360010",
	"2222400070000005", "5500000000000004", "2222400010000008", "2222400030000004", "2222400050000009",
	"2222400060000007", "2223520443560010", "2222400040000001", "2222410700000002", "370000000000002",
	"370000000100018", "6771798021000008", "3569990010095841", "36006666333344", "4543474002249996",
	"5436031030606378", "345678901234564", "5199992312641465", "4917610000000000003", "4911830000000",
	"6304000000000000", "4035501000000008", "4360000001000005", "4000000000001091", "4000000000001000",
	"5186001700008785", "5186001700009726", "4761739001010010", "4761739001010119", "4761739001010135",
)

func validCard(d string) bool {
	return len(d) >= 13 && len(d) <= 19 && luhn(d) && cardIssuer(d) != "" && !testCards[d] && !placeholderDigits(d)
}

// ibanLengths gives the IBAN length of each country that issues them.
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
	"BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
	"ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
	"HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
	"LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
	"MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
	"RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
	"TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}

// docIBANs are the IBANs used as examples by banks, ECBS and Wikipedia.
var docIBANs = setOf(
	"GB82WEST12345698765432", "GB33BUKB20201555555555", "DE89370400440532013000", "GB29NWBK60161331926819",
	"GB94BARC10201530093459", "GB15MIDL40051512345678", "FR1420041010050500013M02606", "NL91ABNA0417164300",
	"BE68539007547034", "CH9300762011623852957", "ES9121000418450200051332", "IT60X0542811101000000123456",
	"GR1601101250000000012300695", "NO9386011117947", "PL61109010140000071219812874", "AT611904300234573201",
	"IE29AIBK93115212345678", "FR7630006000011234567890189", "DE75512108001245126199", "SE4550000000058398257466",
	"DK5000400440116243", "FI2112345600000785", "PT50000201231234567890154", "LU280019400644750000",
)

// validIBAN checks country length and the ISO 7064 mod 97 check of a
// normalised IBAN (upper case, no spaces).
func validIBAN(s string) bool {
	if len(s) < 15 || len(s) > 34 || ibanLengths[s[:2]] != len(s) || docIBANs[s] {
		return false
	}
	if !isDigit(s[2]) || !isDigit(s[3]) || placeholderDigits(digitsOf(s[4:])) {
		return false
	}
	r := 0
	for i := 0; i < len(s); i++ {
		c := s[(i+4)%len(s)]
		switch {
		case isDigit(c):
			r = (r*10 + int(c-'0')) % 97
		case isUpper(c):
			r = (r*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
	}
	return r == 1
}

// validLicence checks the structure of a 16-character DVLA driving licence
// number: surname, decade, month (+50 for women), day, year, initials,
// a digit and two check characters.
func validLicence(s string) bool {
	if len(s) != 16 {
		return false
	}
	for i := 0; i < 5; i++ {
		if !isUpper(s[i]) && s[i] != '9' {
			return false
		}
	}
	if !isUpper(s[0]) {
		return false
	}
	for i := 5; i < 11; i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	month := atoi(s[6:8])
	if month > 50 {
		month -= 50
	}
	day := atoi(s[8:10])
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return false
	}
	if !(isUpper(s[11]) && (isUpper(s[12]) || s[12] == '9')) || !isDigit(s[13]) {
		return false
	}
	return isAlnumUpper(s[14]) && isAlnumUpper(s[15])
}

// postcodeAreas are the 124 UK postcode areas plus the Crown dependencies.
var postcodeAreas = setOf(strings.Fields(`AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE
	DG DH DL DN DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD
	LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP
	SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE`)...)

// validPostcode checks a normalised postcode ("LS1 4AB" without the space):
// outward code with a real area, inward code digit plus two letters that the
// Royal Mail uses (never C I K M O V).
func validPostcode(s string) bool {
	if len(s) < 5 || len(s) > 7 {
		return false
	}
	in, out := s[len(s)-3:], s[:len(s)-3]
	if !isDigit(in[0]) || !isUpper(in[1]) || !isUpper(in[2]) || strings.IndexByte("CIKMOV", in[1]) >= 0 || strings.IndexByte("CIKMOV", in[2]) >= 0 {
		return false
	}
	area := 0
	for area < len(out) && isUpper(out[area]) {
		area++
	}
	if area == 0 || area > 2 || !postcodeAreas[out[:area]] {
		return false
	}
	rest := out[area:]
	switch len(rest) {
	case 1:
		return isDigit(rest[0])
	case 2:
		return isDigit(rest[0]) && (isDigit(rest[1]) || isUpper(rest[1]))
	}
	return false
}

// dramaPrefixes are Ofcom's ranges reserved for TV, radio and books, as
// national significant numbers.
var dramaPrefixes = []string{
	"1632960", "2079460", "7700900", "1134960", "1144960", "1154960", "1164960", "1174960", "1184960",
	"1214960", "1314960", "1414960", "1514960", "1614960", "1914980", "2896496", "2920180", "8081570",
	"9098790", "3069990",
}

// ukPhone validates a UK number with libphonenumber and keeps only numbers a
// person might own: geographic and mobile, never drama ranges or the
// non-geographic business ranges (03, 05, 08, 09).
func ukPhone(raw string) bool {
	return ukPersonalLead(raw) && libUKPhone(raw)
}

// rejectedPhones remembers candidates ukPhone turned down, across Detect
// calls: tables of digit pairs in test data ("01 23 45 67 89") recur commit
// after commit, and libphonenumber takes about 10 µs over each. Only
// rejections are kept, so no one's number is held, and only so many, so
// that memory stays bounded on any history.
type rejectedPhones struct {
	seen sync.Map // candidate text → struct{}
	n    atomic.Int32
}

const maxRejectedPhones = 1 << 14

func (r *rejectedPhones) ukPhone(raw string) bool {
	if _, ok := r.seen.Load(raw); ok {
		return false
	}
	if ukPhone(raw) {
		return true
	}
	if r.n.Load() < maxRejectedPhones && r.n.Add(1) <= maxRejectedPhones {
		// A clone, as raw would keep the whole fragment's text alive.
		r.seen.Store(strings.Clone(raw), struct{}{})
	}
	return false
}

// ukPersonalLead is a necessary condition for libUKPhone that costs a few
// byte compares where libphonenumber runs regular expressions, and most
// digit runs that reach the phone check (hex dumps "00 3f 01 ...", byte
// tables) fail it. Parse strips at most an international prefix (00), the
// country code (44) and a trunk prefix, in that order, the last one twice
// when the country code came without a plus ("44 0 07..."). What is left of
// a geographic number has 9 or 10 digits and starts with 1, or has 10 and
// starts with 2; a mobile number has 10 and starts with 7. Text with other
// characters than ASCII digits and the usual separators passes: Parse also
// reads letters ("0800 FLOWERS") and other scripts' digits.
func ukPersonalLead(raw string) bool {
	var buf [16]byte
	lead, n := buf[:0], 0
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; {
		case isDigit(c):
			if len(lead) < len(buf) {
				lead = append(lead, c)
			}
			n++
		case strings.IndexByte(" -+()./", c) < 0:
			return true
		}
	}
	nsn := bytes.TrimPrefix(lead, []byte("00"))
	nsn = bytes.TrimPrefix(nsn, []byte("44"))
	nsn = trimTrunk(trimTrunk(nsn))
	if len(nsn) == 0 {
		return false
	}
	switch n -= len(lead) - len(nsn); nsn[0] {
	case '1':
		return n == 9 || n == 10
	case '2', '7':
		return n == 10
	}
	return false
}

// trimTrunk removes a UK trunk prefix as libphonenumber reads it: 0, or
// 18002 0 dialled before a number to reach it through Relay UK.
func trimTrunk(d []byte) []byte {
	if rest, ok := bytes.CutPrefix(d, []byte("180020")); ok {
		return rest
	}
	return bytes.TrimPrefix(d, []byte("0"))
}

// libUKPhone is ukPhone without the pre-filter: libphonenumber's verdict
// and the checks on the national number it finds.
func libUKPhone(raw string) bool {
	num, err := phonenumbers.Parse(raw, "GB")
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return false
	}
	if r := phonenumbers.GetRegionCodeForNumber(num); r != "GB" && r != "GG" && r != "JE" && r != "IM" {
		return false
	}
	nsn := phonenumbers.GetNationalSignificantNumber(num)
	for _, p := range dramaPrefixes {
		if strings.HasPrefix(nsn, p) {
			return false
		}
	}
	if placeholderDigits(nsn) {
		return false
	}
	switch nsn[0] {
	case '1', '2':
		return true
	case '7':
		return len(nsn) > 1 && nsn[1] != '0' && nsn[1] != '6'
	}
	return false
}

// parseDate reads numeric dates (dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy,
// yyyy-mm-dd) and reports whether it is a plausible birth date.
func birthDate(s string, now time.Time) bool {
	var parts [3]string
	n := 0
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '/' || s[i] == '-' || s[i] == '.' {
			if n == 3 {
				return false
			}
			parts[n] = s[start:i]
			n++
			start = i + 1
		} else if !isDigit(s[i]) {
			return false
		}
	}
	if n != 3 {
		return false
	}
	var y, m, d int
	switch {
	case len(parts[0]) == 4 && len(parts[1]) <= 2 && len(parts[2]) <= 2:
		y, m, d = atoi(parts[0]), atoi(parts[1]), atoi(parts[2])
	case len(parts[2]) == 4 && len(parts[0]) <= 2 && len(parts[1]) <= 2:
		y, m, d = atoi(parts[2]), atoi(parts[1]), atoi(parts[0])
		if m > 12 && d <= 12 {
			m, d = d, m
		}
	default:
		return false
	}
	if y < 1900 || m < 1 || m > 12 || d < 1 || d > 31 {
		return false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t.Day() == d && t.Before(now)
}

// wordDate reads dates written with a month name ("14 March 1985",
// "Mar 14, 1985") and reports whether it is a plausible birth date.
func wordDate(s string, now time.Time) bool {
	var day, year, month int
	for _, f := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ' ' || r == ',' || r == '-' || r == '/' }) {
		f = strings.TrimRight(f, ".")
		if len(f) > 2 && isDigit(f[0]) {
			f = strings.TrimRight(f, "stndrh") // 1st, 2nd, 3rd, 14th
		}
		switch {
		case f == "":
		case len(f) == 4 && isDigit(f[0]) && onlyDigits(f):
			year = atoi(f)
		case len(f) <= 2 && onlyDigits(f):
			day = atoi(f)
		case len(f) >= 3 && month == 0:
			for m, name := range months {
				if strings.HasPrefix(name, f) {
					month = m + 1
					break
				}
			}
			if month == 0 {
				return false
			}
		default:
			return false
		}
	}
	if day < 1 || month < 1 || year < 1900 {
		return false
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	return t.Day() == day && t.Before(now)
}

var months = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}

func onlyDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isUpper(c byte) bool      { return c >= 'A' && c <= 'Z' }
func isLower(c byte) bool      { return c >= 'a' && c <= 'z' }
func isAlpha(c byte) bool      { return isUpper(c) || isLower(c) }
func isAlnum(c byte) bool      { return isAlpha(c) || isDigit(c) }
func isAlnumUpper(c byte) bool { return isUpper(c) || isDigit(c) }

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func setOf(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}
