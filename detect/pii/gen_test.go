package pii

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Generators build valid identifiers at run time from the check-digit
// algorithms, so the repository holds no real person's data.

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }

func randDigits(r *rand.Rand, n int) string {
	var b strings.Builder
	for b.Len() < n {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()
}

// genNHS returns a valid NHS number starting with 4, 6 or 7.
func genNHS(r *rand.Rand) string {
	for {
		d := string("467"[r.IntN(3)]) + randDigits(r, 8)
		sum := 0
		for i := 0; i < 9; i++ {
			sum += int(d[i]-'0') * (10 - i)
		}
		c := 11 - sum%11
		if c == 11 {
			c = 0
		}
		if c == 10 {
			continue
		}
		n := d + strconv.Itoa(c)
		if validNHS(n) {
			return n
		}
	}
}

// breakCheck changes the last digit so the check fails.
func breakCheck(d string) string {
	last := d[len(d)-1]
	return d[:len(d)-1] + string('0'+(last-'0'+1)%10)
}

func spaced(d string, sizes ...int) string {
	var parts []string
	for _, n := range sizes {
		parts = append(parts, d[:n])
		d = d[n:]
	}
	return strings.Join(parts, " ")
}

func genNINO(r *rand.Rand) string {
	for {
		n := string(rune('A'+r.IntN(26))) + string(rune('A'+r.IntN(26))) + randDigits(r, 6) + string("ABCD"[r.IntN(4)])
		if validNINO(n) {
			return n
		}
	}
}

func genUTR(r *rand.Rand) string {
	for {
		body := randDigits(r, 9)
		weights := []int{6, 7, 8, 9, 10, 5, 4, 3, 2}
		sum := 0
		for i, w := range weights {
			sum += int(body[i]-'0') * w
		}
		n := string("21987654321"[sum%11]) + body
		if validUTR(n) {
			return n
		}
	}
}

// genVAT builds a VAT number under the mod 97 scheme (offset 0) or the
// newer 9755 scheme (offset 55).
func genVAT(r *rand.Rand, offset int) string {
	for {
		body := randDigits(r, 7)
		weights := []int{8, 7, 6, 5, 4, 3, 2}
		sum := 0
		for i, w := range weights {
			sum += int(body[i]-'0') * w
		}
		check := (97 - (sum+offset)%97) % 97
		n := body + fmt.Sprintf("%02d", check)
		if validVAT(n) {
			return n
		}
	}
}

func genCard(r *rand.Rand, prefix string, length int) string {
	for {
		body := prefix + randDigits(r, length-len(prefix)-1)
		for c := 0; c < 10; c++ {
			n := body + strconv.Itoa(c)
			if luhn(n) {
				if validCard(n) {
					return n
				}
				break
			}
		}
	}
}

func genIBAN(r *rand.Rand, country, bank string, digits int) string {
	for {
		bban := bank + randDigits(r, digits)
		// Compute check digits: move country+"00" to the end, mod 97.
		rearr := bban + country + "00"
		m := 0
		for i := 0; i < len(rearr); i++ {
			c := rearr[i]
			if c >= '0' && c <= '9' {
				m = (m*10 + int(c-'0')) % 97
			} else {
				m = (m*100 + int(c-'A'+10)) % 97
			}
		}
		n := fmt.Sprintf("%s%02d%s", country, 98-m, bban)
		if validIBAN(n) {
			return n
		}
	}
}

// genMobile returns a UK mobile number in 07xxx xxxxxx layout outside
// the drama range.
func genMobile(r *rand.Rand) string {
	for {
		n := "07" + string("45789"[r.IntN(5)]) + randDigits(r, 8)
		if ukPhone(n) {
			return n[:5] + " " + n[5:]
		}
	}
}

func genLicence(r *rand.Rand) string {
	sur := []string{"MORGA", "SMITH", "JONES", "TAYLO"}[r.IntN(4)]
	month := 1 + r.IntN(12)
	if r.IntN(2) == 0 {
		month += 50
	}
	return fmt.Sprintf("%s%d%02d%02d%dJA9%s", sur, r.IntN(10), month, 1+r.IntN(28), r.IntN(10), []string{"AB", "CD", "EF"}[r.IntN(3)])
}

var (
	firsts    = []string{"Olivia", "Harry", "Amelia", "George", "Isla", "Noah", "Emily", "Jack", "Sophie", "Oscar", "Grace", "Leo"}
	lasts     = []string{"Thornbury", "Ashcombe", "Pemberton", "Halliwell", "Crossley", "Fairbairn", "Oakden", "Whitlock"}
	mailHosts = []string{"gmail.com", "outlook.com", "yahoo.co.uk", "btinternet.com", "hotmail.co.uk"}
)

func genPerson(r *rand.Rand) (first, last, email, dob string) {
	first, last = firsts[r.IntN(len(firsts))], lasts[r.IntN(len(lasts))]
	email = strings.ToLower(first+"."+last) + strconv.Itoa(10+r.IntN(89)) + "@" + mailHosts[r.IntN(len(mailHosts))]
	dob = fmt.Sprintf("%02d/%02d/%d", 1+r.IntN(28), 1+r.IntN(12), 1940+r.IntN(60))
	return
}
