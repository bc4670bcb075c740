package pii

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/detect"
	"github.com/aiguard/aiguard/finding"
)

func run(t *testing.T, path, text string) []finding.Finding {
	t.Helper()
	fs, err := New(config.PersonalData{BulkThreshold: 10}).Detect(context.Background(), detect.NewTreeFragment(path, text))
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// planted is one positive fixture: the text, the file it lives in, what
// must be reported, and the values that must never appear in output.
type planted struct {
	name, path, text string
	rule, class      string
	kinds            []string
	values           []string
}

func positives() []planted {
	r := newRand(42)
	var ps []planted
	add := func(p planted) { ps = append(ps, p) }
	f, l, email, dob := genPerson(r)
	nhs := genNHS(r)
	add(planted{"json record", "fixtures/patient.json",
		fmt.Sprintf("{\n  \"patient_name\": \"%s %s\",\n  \"nhs_number\": \"%s\",\n  \"date_of_birth\": \"%s\"\n}\n", f, l, nhs, dob),
		"pii-nhs-number", "single-record", []string{"date-of-birth", "name", "nhs-number"}, []string{nhs}})
	nhs2 := genNHS(r)
	add(planted{"prose nhs", "docs/incident.md", "Patient " + f + " " + l + " (NHS " + spaced(nhs2, 3, 3, 4) + ") was discharged.\n",
		"pii-nhs-number", "single-record", []string{"name", "nhs-number"}, []string{nhs2, spaced(nhs2, 3, 3, 4)}})
	nino := genNINO(r)
	add(planted{"nino in python", "app/seed.py", "employee = {\"name\": \"" + f + " " + l + "\", \"ni_number\": \"" + nino + "\"}\n",
		"pii-national-insurance-number", "single-record", []string{"name", "national-insurance-number"}, []string{nino}})
	ninoSp := nino[:2] + " " + nino[2:4] + " " + nino[4:6] + " " + nino[6:8] + " " + nino[8:]
	add(planted{"nino spaced free text", "notes.txt", "Her national insurance number is " + ninoSp + ".\n",
		"pii-national-insurance-number", "single-record", []string{"national-insurance-number"}, []string{nino, ninoSp}})
	card := genCard(r, "4", 16)
	add(planted{"card in log", "logs/payments.log", "2024-05-01T10:00:00Z charge failed card=" + spaced(card, 4, 4, 4, 4) + " amount=12.00\n",
		"pii-payment-card", "single-record", []string{"payment-card"}, []string{card, spaced(card, 4, 4, 4, 4)}})
	iban := genIBAN(r, "GB", "MIDL", 14)
	add(planted{"iban yaml", "config/payee.yaml", "payee:\n  iban: " + iban + "\n",
		"pii-iban", "single-record", []string{"iban"}, []string{iban}})
	mob := genMobile(r)
	add(planted{"mobile with name", "README.txt", "Call " + f + " " + l + " on " + mob + " for access.\n",
		"pii-phone", "single-record", []string{"name", "phone"}, []string{mob, digitsOf(mob)}})
	add(planted{"personal email", "config/alerts.env", "ALERT_EMAIL=" + email + "\n",
		"pii-email", "single-record", []string{"email"}, []string{email}})
	add(planted{"dob next to name", "notes/customer.txt", "Name: " + f + " " + l + "\nDOB: " + dob + "\n",
		"pii-date-of-birth", "single-record", []string{"date-of-birth", "name"}, []string{dob}})
	utr := genUTR(r)
	add(planted{"utr", "tax.md", "Self assessment UTR: " + utr + "\n", "pii-tax-reference", "single-record", []string{"tax-reference"}, []string{utr}})
	vat := genVAT(r, 55)
	add(planted{"vat", "invoice.txt", "VAT reg no GB" + vat + "\n", "pii-vat-number", "single-record", []string{"vat-number"}, []string{vat}})
	pass := "5" + randDigits(r, 8)
	add(planted{"passport", "travel.json", "{\"passport_number\": \"" + pass + "\", \"surname\": \"" + l + "\"}\n",
		"pii-passport-number", "single-record", []string{"name", "passport-number"}, []string{pass}})
	lic := genLicence(r)
	add(planted{"licence", "hire.txt", "Driving licence: " + lic + "\n", "pii-driving-licence-number", "single-record", []string{"driving-licence-number"}, []string{lic}})
	sort := "40-" + randDigits(r, 2) + "-" + randDigits(r, 2)
	acct := "3" + randDigits(r, 7)
	add(planted{"bank", "refund.md", "Refund to sort code " + sort + ", account number " + acct + "\n",
		"pii-bank-account", "single-record", []string{"bank-account"}, []string{acct, digitsOf(sort)}})
	ip := "81.2." + "69.142"
	add(planted{"ip tied to user", "logs/auth.log", "2024-05-01 10:00:01 login ok user=" + email + " ip=" + ip + "\n",
		"pii-email", "single-record", []string{"email", "ip-address"}, []string{email, ip}})
	add(planted{"address", "orders/letter.txt", f + " " + l + ", 12 Acacia Avenue, Leeds LS1 4AB\n",
		"pii-postal-address", "single-record", []string{"name", "postal-address"}, []string{"LS1 4AB"}})
	nhs3 := genNHS(r)
	add(planted{"health", "export/referral.json", fmt.Sprintf("{\"name\": \"%s %s\", \"nhs_no\": \"%s\", \"diagnosis\": \"Type 2 diabetes\"}\n", f, l, nhs3),
		"pii-nhs-number", "special-category", []string{"health", "name", "nhs-number"}, []string{nhs3}})
	nhs4 := genNHS(r)
	add(planted{"health in prose", "notes/handover.md", "Patient " + f + " " + l + ", NHS " + spaced(nhs4, 3, 3, 4) + ", diagnosed with epilepsy.\n",
		"pii-nhs-number", "special-category", []string{"health", "name", "nhs-number"}, []string{nhs4}})
	add(planted{"email and name in code", "tests/test_signup.py", "user = User(full_name=\"" + f + " " + l + "\", email=\"" + email + "\")\n",
		"pii-email", "single-record", []string{"email", "name"}, []string{email}})
	add(planted{"word dob", "hr/record.yaml", "surname: " + l + "\ndate_of_birth: 14 March 1985\n",
		"pii-date-of-birth", "single-record", []string{"date-of-birth", "name"}, []string{"14 March 1985"}})
	add(planted{"word dob in prose", "notes/intake.md", "Mr " + l + " was born on 3 May 1961 in Leeds.\n",
		"pii-date-of-birth", "single-record", []string{"date-of-birth", "name"}, []string{"3 May 1961"}})
	return ps
}

func TestPositives(t *testing.T) {
	for _, p := range positives() {
		t.Run(p.name, func(t *testing.T) {
			fs := run(t, p.path, p.text)
			if len(fs) != 1 {
				t.Fatalf("want 1 finding, got %d: %v", len(fs), rules(fs))
			}
			f := fs[0]
			if f.RuleID != p.rule || f.Class != p.class || f.Category != finding.DataExposure {
				t.Errorf("got %s/%s/%s, want %s/%s", f.RuleID, f.Class, f.Category, p.rule, p.class)
			}
			if !slices.Equal(f.DataKinds, p.kinds) {
				t.Errorf("kinds %v, want %v", f.DataKinds, p.kinds)
			}
			if f.Subjects != 1 || f.StartLine < 1 || f.Fingerprint == "" || f.Redacted == "" || f.Title == "" {
				t.Errorf("incomplete finding: %+v", redactedView(f))
			}
		})
	}
}

// TestNoLeak checks that nothing published, including the JSON form,
// carries a planted value.
func TestNoLeak(t *testing.T) {
	for _, p := range positives() {
		for _, f := range run(t, p.path, p.text) {
			f.Secret = ""
			b, err := json.Marshal(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range p.values {
				if strings.Contains(string(b), v) || strings.Contains(f.Fingerprint, v) {
					t.Errorf("%s: output contains the planted value", p.name)
				}
			}
		}
	}
}

func redactedView(f finding.Finding) string {
	return fmt.Sprintf("%s %s %s line=%d", f.RuleID, f.Class, f.Redacted, f.StartLine)
}

func rules(fs []finding.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.RuleID+"@"+fmt.Sprint(f.StartLine))
	}
	return out
}

func TestNegatives(t *testing.T) {
	r := newRand(7)
	nhs := genNHS(r)
	card := genCard(r, "4", 16)
	f, l, _, _ := genPerson(r)
	cases := map[string][2]string{
		"nhs test range":           {"a.md", "Patient NHS number 999 123 4567 used in the demo."},
		"nhs bad check":            {"a.md", "NHS number: " + breakCheck(nhs)},
		"nhs no context":           {"a.go", "const limit = " + nhs},
		"hmrc example nino":        {"a.md", "National Insurance number: QQ 12 34 56 C"},
		"stripe cards":             {"a.py", "CARDS = ['4242 4242 4242 4242', '4111111111111111', '5555555555554444', '378282246310005']"},
		"card bad luhn":            {"a.txt", "card: " + spaced(breakCheck(card), 4, 4, 4, 4)},
		"card as id":               {"a.go", "var orderID = " + card},
		"doc ibans":                {"a.md", "IBAN GB82WEST12345698765432 or GB33BUKB20201555555555 or DE89370400440532013000"},
		"drama phones":             {"a.md", "Call Jane on 07700 900123 or 020 7946 0321 or 0113 496 0000"},
		"business phone":           {"a.md", "Contact our sales team on 0800 123 4471."},
		"example emails":           {"a.md", "Send to jane@example.com, bob@example.org, x@test.test, ann.lee@corp.invalid"},
		"role emails":              {"a.yml", "contact: info@acmewidgets.co.uk\nsupport_email: support@acmewidgets.co.uk\nfrom: noreply@acmewidgets.co.uk"},
		"author email":             {"a.py", "__author__ = '" + f + " " + l + " <" + strings.ToLower(f) + "@gmail.com>'"},
		"git identity":             {"x/CHANGES", f + " " + l + " <" + strings.ToLower(l) + "@gmail.com>"},
		"doc ips":                  {"a.log", "user=" + strings.ToLower(f) + " from 192.0.2.10 and 198.51.100.7 and 203.0.113.9 and 2001:db8::1"},
		"bare ip":                  {"a.yml", "dns: 8.8.8.8\nupstream: 81.2.69.142"},
		"timestamps":               {"a.json", `{"created": 1700000000, "ts": 1712345678901, "id": 6234567890}`},
		"hashes and uuids":         {"a.txt", "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 uuid 123e4567-e89b-12d3-a456-426614174000"},
		"versions":                 {"a.txt", "go 1.22.3 and v4.1.21.3 and 10.0.19045.3803"},
		"dob without context":      {"a.csv", "date,amount\n14/03/1985,12.00\n"},
		"date next to name no dob": {"a.md", "Released by " + f + " " + l + " on 14/03/2021."},
		"name alone":               {"a.json", `{"name": "` + f + ` ` + l + `"}`},
		"postcode alone":           {"a.md", "Our office: 1 Park Row, Leeds LS1 5AB"},
		"code words":               {"a.go", "clientSecret := os.Getenv(\"CLIENT_SECRET\")\nconst TOP_SECRET Level = 3\n"},
		"placeholder nino":         {"a.md", "NI number: AB 12 34 56 C"},
		"john doe":                 {"a.json", `{"name": "John Doe", "dob": "01/01/1980"}`},
		"lone email in code":       {"a.go", `sendTo("` + strings.ToLower(f) + `.` + strings.ToLower(l) + `@gmail.com")`},
		"service account":          {"sa.json", `{"client_email": "deployer@my-project.iam.gserviceaccount.com"}`},
		"url userinfo":             {"a.md", "git clone https://deploy:token@gitlab.com/group/repo.git"},
		"context inside word":      {"a.txt", "private key 123456789 company span 4539 1488"},
		"business contact":         {"office.md", "Acme Widgets Ltd, 1 Park Row, Leeds LS1 5AB. Tel: 0113 243 1234. Email: enquiries@acmewidgets.co.uk"},
		"ids that look right":      {"ids.json", `{"order_id": "07911123456", "account_id": 44123456789, "trace": "4857773456"}`},
		"metrics csv":              {"metrics.csv", "date,region,sales\n2024-01-01,North,123456\n2024-01-02,South,654321\n"},
		"doc example email":        {"api.json", `"description": "The member, for example ` + strings.ToLower(f) + `.` + strings.ToLower(l) + `@gmail.com"`},
		"hex dump":                 {"dump.txt", "00000010  6f 70 65 6e 73 73 68 2e  63 6f 6d 00 00 00 00 00  |olivia.t@gmail.co|"},
	}
	for name, c := range cases {
		if fs := run(t, c[0], c[1]); len(fs) != 0 {
			t.Errorf("%s: want nothing, got %v", name, rules(fs))
		}
	}
}

func people(n int, seed uint64) [][4]string {
	r := newRand(seed)
	out := make([][4]string, n)
	for i := range out {
		f, l, e, d := genPerson(r)
		out[i] = [4]string{f + " " + l, e + fmt.Sprint(i), d, genNHS(r)}
		out[i][1] = strings.Replace(e, "@", fmt.Sprint(i)+"@", 1)
	}
	return out
}

func bulkFixtures(n int) map[string]string {
	ps := people(n, uint64(n))
	var csv, js, sql, log strings.Builder
	csv.WriteString("full_name,email,date_of_birth,nhs_number\n")
	js.WriteString("[\n")
	sql.WriteString("INSERT INTO patients (name, email, dob, nhs_number) VALUES\n")
	for i, p := range ps {
		fmt.Fprintf(&csv, "%s,%s,%s,%s\n", p[0], p[1], p[2], p[3])
		fmt.Fprintf(&js, "  {\n    \"name\": %q,\n    \"email\": %q,\n    \"dob\": %q\n  },\n", p[0], p[1], p[2])
		sep := ","
		if i == len(ps)-1 {
			sep = ";"
		}
		fmt.Fprintf(&sql, "  ('%s', '%s', '%s', '%s')%s\n", p[0], p[1], p[2], p[3], sep)
		fmt.Fprintf(&log, "2024-05-01 10:%02d:00 INFO signup email=%s ip=81.2.%d.%d\n", i%60, p[1], i%200, 10+i%200)
	}
	js.WriteString("]\n")
	var nb, yml strings.Builder
	nb.WriteString("{\n \"cells\": [{\n   \"outputs\": [{\n     \"name\": \"stdout\",\n     \"text\": [\n")
	yml.WriteString("users:\n")
	for i, p := range ps {
		fmt.Fprintf(&nb, "      \"%d  %s  %s  %s\\n\",\n", i, p[0], p[1], p[2])
		fmt.Fprintf(&yml, "  - name: %s\n    email: %s\n    dob: %s\n", p[0], p[1], p[2])
	}
	nb.WriteString("     ]\n    }]\n  }]\n}\n")
	return map[string]string{"data/patients.csv": csv.String(), "fixtures/users.json": js.String(), "db/seed.sql": sql.String(),
		"logs/app.log": log.String(), "analysis.ipynb": nb.String(), "fixtures/users.yaml": yml.String()}
}

func TestBulk(t *testing.T) {
	for path, text := range bulkFixtures(25) {
		fs := run(t, path, text)
		if len(fs) != 1 || fs[0].Class != "bulk" || fs[0].RuleID != "pii-bulk-records" {
			t.Errorf("%s: want one bulk finding, got %v", path, rules(fs))
			continue
		}
		if fs[0].Subjects != 25 || !slices.Contains(fs[0].DataKinds, "email") {
			t.Errorf("%s: subjects %d kinds %v", path, fs[0].Subjects, fs[0].DataKinds)
		}
	}
	for path, text := range bulkFixtures(4) {
		fs := run(t, path, text)
		if len(fs) != 4 {
			t.Errorf("%s: want 4 single findings below the threshold, got %v", path, rules(fs))
		}
		for _, f := range fs {
			if f.Class != "single-record" {
				t.Errorf("%s: class %s", path, f.Class)
			}
		}
	}
}

func TestBulkThresholdAndHealth(t *testing.T) {
	var b strings.Builder
	b.WriteString("patient,nhs_no,diagnosis\n")
	for _, p := range people(6, 3) {
		fmt.Fprintf(&b, "%s,%s,Asthma\n", p[0], p[3])
	}
	d := New(config.PersonalData{BulkThreshold: 5})
	fs, _ := d.Detect(context.Background(), detect.NewTreeFragment("clinic.csv", b.String()))
	if len(fs) != 1 || fs[0].Class != "bulk" || !slices.Contains(fs[0].DataKinds, "health") || fs[0].Subjects != 6 {
		t.Fatalf("want one bulk finding with health data, got %v", rules(fs))
	}
	fs = run(t, "clinic.csv", b.String())
	if len(fs) != 6 || fs[0].Class != "special-category" {
		t.Fatalf("below the default threshold want 6 special-category findings, got %v", rules(fs))
	}
}

// TestDiffFragment checks that only added lines are read, lines are file
// lines, and a CSV header outside the diff still names the columns.
func TestDiffFragment(t *testing.T) {
	ps := people(3, 9)
	header := "name,dob\n"
	old := ps[0][0] + "," + ps[0][2] + "\n"
	added := ps[1][0] + "," + ps[1][2] + "\n"
	whole := header + old + added
	frag := detect.NewDiffFragment("people.csv", detect.StageHistory, nil, strings.TrimSuffix(added, "\n"), []int{3},
		func() (string, error) { return whole, nil })
	fs, err := New(config.PersonalData{BulkThreshold: 10}).Detect(context.Background(), frag)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].StartLine != 3 || fs[0].RuleID != "pii-date-of-birth" {
		t.Fatalf("want one DOB finding at file line 3, got %v", rules(fs))
	}
}

func TestConcurrent(t *testing.T) {
	d := New(config.PersonalData{BulkThreshold: 10})
	fixtures := bulkFixtures(12)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for path, text := range fixtures {
				fs, _ := d.Detect(context.Background(), detect.NewTreeFragment(path, text))
				if len(fs) != 1 {
					t.Errorf("%s: %v", path, rules(fs))
				}
			}
		}()
	}
	wg.Wait()
}
