package pii

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/aiguard/aiguard/finding"
)

// The evaluation corpus is realistic repository content built at run time
// from generated identifiers (valid check digits, invented people), written
// independently of the unit-test fixtures. Each item is a file with the
// findings a reviewer expects in it; negatives expect none.

type evalItem struct {
	name, path, text string
	// want lists the expected findings by class; empty for negatives.
	want []string
	// subjects is the expected data-subject count of a bulk finding.
	subjects int
}

// person is an invented data subject with every identifier generated.
type person struct {
	first, last, email, dob, isoDOB, nhs, nino, mobile, landline, postcode, street, card, iban, sort, acct, passport, licence, utr string
}

var (
	evalFirsts = []string{"Olivia", "Harry", "Ngozi", "Wojciech", "Siobhan", "Priya", "Callum", "Bartholomew", "Aoife", "Tomasz",
		"Imogen", "Kwame", "Rhiannon", "Hamza", "Eilidh", "Jasper", "Yusuf", "Marguerite", "Declan", "Lowri"}
	evalLasts = []string{"Thornbury", "Okafor", "Kowalczyk", "Pemberton", "Ashworth", "Raghunathan", "MacAskill", "Featherstone",
		"O'Donnell", "Nwachukwu", "Halliwell", "Llewellyn", "Achterberg", "Fairbairn", "Castellanos", "Whitlock"}
	evalStreets = []string{"Acacia Avenue", "Mill Lane", "Station Road", "Church Street", "Victoria Terrace", "Orchard Close", "Beech Grove"}
	evalTowns   = []string{"Leeds", "Manchester", "Bristol", "Cardiff", "Glasgow", "Norwich", "York"}
	evalAreas   = []string{"LS", "M", "BS", "CF", "G", "NR", "YO"}
	evalHosts   = []string{"gmail.com", "outlook.com", "yahoo.co.uk", "btinternet.com", "hotmail.co.uk", "icloud.com", "proton.me"}
)

func genPostcode(r *rand.Rand, town int) string {
	const letters = "ABDEFGHJLNPQRSTUWXYZ"
	return fmt.Sprintf("%s%d %d%c%c", evalAreas[town], 1+r.IntN(9), r.IntN(10), letters[r.IntN(len(letters))], letters[r.IntN(len(letters))])
}

// genLandline returns a Leeds or Manchester number outside the drama range.
func genLandline(r *rand.Rand) string {
	for {
		n := []string{"0113 2", "0161 4", "0117 9"}[r.IntN(3)] + randDigits(r, 2) + " " + randDigits(r, 4)
		if ukPhone(n) {
			return n
		}
	}
}

func genPersonFull(r *rand.Rand) person {
	p := person{first: evalFirsts[r.IntN(len(evalFirsts))], last: evalLasts[r.IntN(len(evalLasts))]}
	local := strings.ToLower(p.first) + []string{".", "_", ""}[r.IntN(3)] + strings.ToLower(strings.ReplaceAll(p.last, "'", ""))
	p.email = local + fmt.Sprint(r.IntN(90)+10) + "@" + evalHosts[r.IntN(len(evalHosts))]
	y, m, d := 1940+r.IntN(65), 1+r.IntN(12), 1+r.IntN(28)
	p.dob, p.isoDOB = fmt.Sprintf("%02d/%02d/%d", d, m, y), fmt.Sprintf("%d-%02d-%02d", y, m, d)
	p.nhs, p.nino, p.mobile, p.landline = genNHS(r), genNINO(r), genMobile(r), genLandline(r)
	town := r.IntN(len(evalTowns))
	p.postcode = genPostcode(r, town)
	p.street = fmt.Sprintf("%d %s, %s", 1+r.IntN(180), evalStreets[r.IntN(len(evalStreets))], evalTowns[town])
	p.card = genCard(r, []string{"4", "51", "52", "2221"}[r.IntN(4)], 16)
	p.iban = genIBAN(r, "GB", []string{"NWBK", "BARC", "LOYD", "HBUK"}[r.IntN(4)], 14)
	p.sort = fmt.Sprintf("%02d-%02d-%02d", 10+r.IntN(80), r.IntN(100), r.IntN(100))
	p.acct = fmt.Sprint(1+r.IntN(9)) + randDigits(r, 7)
	p.passport = fmt.Sprint(1+r.IntN(9)) + randDigits(r, 8)
	p.licence = strings.ToUpper(strings.ReplaceAll(p.last, "'", "") + "99999")[:5] + fmt.Sprintf("%d%02d%02d%dJA9%s", y%100/10, m+50*r.IntN(2), d, y%10, []string{"AB", "CD", "EF"}[r.IntN(3)])
	p.utr = genUTR(r)
	return p
}

func (p person) name() string { return p.first + " " + p.last }

// Ways one person's record appears in a repository.
var singleTemplates = []struct {
	name, class string
	make        func(p person, r *rand.Rand) (path, text string)
}{
	{"incident note nhs", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "docs/incidents/2024-031.md", "# Incident 2024-031\n\nA support engineer pasted a record into the prompt.\n\nPatient: " + p.name() + ", NHS " + spaced(p.nhs, 3, 3, 4) + "\n\nThe record was removed from the chat history.\n"
	}},
	{"ticket phone", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "notes/ticket-4411.txt", "Ticket #4411 - refund chase\nCustomer " + p.name() + " rang again today, callback on " + p.mobile + " after 3pm.\nEscalated to tier 2.\n"
	}},
	{"eml", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "support/inbox/complaint.eml", "From: " + p.name() + " <" + p.email + ">\nTo: Support <support@northwind-energy.co.uk>\nSubject: Meter reading dispute\nDate: Tue, 4 Jun 2024 09:12:44 +0100\n\nHello,\n\nMy reading was wrong again. Please call me.\n\nThanks\n" + p.first + "\n"
	}},
	{"pytest fixture", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "tests/conftest.py", "import pytest\n\n\n@pytest.fixture\ndef customer():\n    return {\n        \"name\": \"" + p.name() + "\",\n        \"email\": \"" + p.email + "\",\n        \"phone\": \"" + p.mobile + "\",\n    }\n"
	}},
	{"jest fixture", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "web/src/__tests__/profile.test.ts", "const user = {\n  firstName: '" + p.first + "',\n  lastName: '" + p.last + "',\n  email: '" + p.email + "',\n  dateOfBirth: '" + p.isoDOB + "',\n};\n\nit('renders the profile', () => {\n  render(<Profile user={user} />);\n});\n"
	}},
	{"django seed", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "app/management/commands/seed.py", "from django.core.management.base import BaseCommand\nfrom accounts.models import User\n\n\nclass Command(BaseCommand):\n    def handle(self, *args, **kwargs):\n        User.objects.create(first_name=\"" + p.first + "\", last_name=\"" + p.last + "\", email=\"" + p.email + "\", ni_number=\"" + p.nino + "\")\n"
	}},
	{"rails seed", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "db/seeds.rb", "# Seed an admin so that QA can log in\nUser.create!(\n  name: \"" + p.name() + "\",\n  email: \"" + p.email + "\",\n  phone: \"" + p.mobile + "\",\n  admin: true\n)\n"
	}},
	{"json log line", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "logs/auth.jsonl", `{"ts":"2024-06-04T09:12:44.120Z","level":"info","msg":"login succeeded","user":"` + p.email + `","ip":"81.2.69.` + fmt.Sprint(10+len(p.last)) + `","ua":"Mozilla/5.0"}` + "\n"
	}},
	{"plain log card", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "logs/payments.log", "2024-06-04 09:12:44,120 INFO  worker-3 charge started order=ORD-88412\n2024-06-04 09:12:45,002 ERROR worker-3 gateway rejected pan=" + p.card + " holder=\"" + p.name() + "\" code=05\n"
	}},
	{"patient id context", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "scripts/backfill_notes.txt", "Backfill run 12 June\nPatient number " + p.nhs + " had two duplicate referrals; merged into one.\n"
	}},
	{"nhs_no key", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "fixtures/referral.yaml", "referral:\n  nhs_no: \"" + p.nhs + "\"\n  surname: " + p.last + "\n  priority: routine\n"
	}},
	{"hr yaml nino", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "hr/onboarding/new-starter.yml", "employee:\n  full_name: " + p.name() + "\n  national_insurance_number: " + p.nino + "\n  start_date: 2024-07-01\n  team: platform\n"
	}},
	{"refund bank", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "notes/refund.md", "## Refund for " + p.name() + "\n\nPay the refund by BACS: sort code " + p.sort + ", account " + p.acct + ".\n"
	}},
	{"iban payee", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "config/payees.json", "{\n  \"payee\": {\n    \"holder_name\": \"" + p.name() + "\",\n    \"iban\": \"" + p.iban + "\"\n  }\n}\n"
	}},
	{"passport booking", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "fixtures/booking.json", "{\"booking_ref\": \"QX7H2L\", \"lead_passenger\": {\"given_name\": \"" + p.first + "\", \"surname\": \"" + p.last + "\", \"passport_number\": \"" + p.passport + "\"}}\n"
	}},
	{"licence hire", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "notes/van-hire.txt", "Van hire for the office move. Driver " + p.name() + ", driving licence " + p.licence + ".\n"
	}},
	{"dob prose", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "docs/debug-session.md", "While debugging the age check we used the real account of " + p.name() + " (DOB " + p.dob + ") by mistake.\n"
	}},
	{"delivery address", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "notes/order-issue.txt", "Deliver to: " + p.name() + ", " + p.street + " " + p.postcode + "\nCourier lost the parcel twice.\n"
	}},
	{"utr accountant", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "docs/tax-integration.md", "Tested the HMRC sandbox with a real client by accident: " + p.name() + ", UTR " + p.utr + ".\n"
	}},
	{"notebook single", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "analysis/churn.ipynb", "{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"outputs\": [\n    {\n     \"name\": \"stdout\",\n     \"output_type\": \"stream\",\n     \"text\": [\n      \"customer: " + p.name() + " <" + p.email + "> tel " + p.mobile + "\\n\"\n     ]\n    }\n   ],\n   \"source\": [\"print(row)\"]\n  }\n ]\n}\n"
	}},
	{"card holder json", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "tests/fixtures/payment.json", "{\n  \"cardholder_name\": \"" + p.name() + "\",\n  \"card_number\": \"" + spaced(p.card, 4, 4, 4, 4) + "\",\n  \"expiry\": \"09/27\"\n}\n"
	}},
	{"emergency contact", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "hr/contacts.yaml", "emergency_contact:\n  name: " + p.name() + "\n  relationship: sister\n  mobile: \"" + p.mobile + "\"\n"
	}},
	{"sql single insert", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "db/migrations/0042_seed_admin.sql", "-- seed the first admin\nINSERT INTO users (email, full_name, phone) VALUES ('" + p.email + "', '" + p.name() + "', '" + p.mobile + "');\n"
	}},
	{"employee nino prose", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "notes/payroll-bug.md", "Payroll bug: employee " + p.name() + ", NI number " + p.nino[:2] + " " + p.nino[2:4] + " " + p.nino[4:6] + " " + p.nino[6:8] + " " + p.nino[8:] + ", was taxed twice.\n"
	}},
	{"health prose", "special-category", func(p person, _ *rand.Rand) (string, string) {
		return "docs/incidents/clinic-export.md", "Patient: " + p.name() + ", NHS " + spaced(p.nhs, 3, 3, 4) + ". Diagnosed with type 1 diabetes, on insulin.\n"
	}},
	{"health json", "special-category", func(p person, _ *rand.Rand) (string, string) {
		return "fixtures/patient.json", "{\n  \"patient_name\": \"" + p.name() + "\",\n  \"date_of_birth\": \"" + p.isoDOB + "\",\n  \"diagnosis\": \"Major depressive disorder\",\n  \"medication\": \"Sertraline 50mg\"\n}\n"
	}},
	{"health ticket", "special-category", func(p person, _ *rand.Rand) (string, string) {
		return "support/ticket-991.txt", "Caller " + p.name() + " (mobile " + p.mobile + ") asked us to note her epilepsy diagnosis on the account.\n"
	}},
	{"slack paste", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "docs/support/escalations.md", "> **dave** 10:42: can you check " + p.name() + "'s account? mobile is " + p.mobile + ", she says the direct debit failed\n> **sam** 10:44: on it\n"
	}},
	{"issue prose email", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "docs/bugs/BUG-2231.md", "## Steps to reproduce\n\n1. Log in as " + p.email + " (prod account)\n2. Open billing\n3. Observe the 500 error\n"
	}},
	{"xml export", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "integration/samples/customer.xml", "<?xml version=\"1.0\"?>\n<Customer>\n  <FullName>" + p.name() + "</FullName>\n  <Email>" + p.email + "</Email>\n  <DateOfBirth>" + p.isoDOB + "</DateOfBirth>\n</Customer>\n"
	}},
	{"env phone", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "deploy/.env.production", "APP_ENV=production\nSMS_FROM=AcmeAlerts\nONCALL_MOBILE=" + strings.ReplaceAll(p.mobile, " ", "") + "\nLOG_LEVEL=warn\n"
	}},
	{"go test struct", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "internal/users/store_test.go", "package users\n\nvar fixture = User{\n\tName:  \"" + p.name() + "\",\n\tEmail: \"" + p.email + "\",\n\tPhone: \"" + p.mobile + "\",\n}\n"
	}},
	{"fhir patient", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "test/fhir/patient.json", "{\n  \"resourceType\": \"Patient\",\n  \"identifier\": [\n    {\n      \"system\": \"https://fhir.nhs.uk/Id/nhs-number\",\n      \"value\": \"" + p.nhs + "\"\n    }\n  ],\n  \"name\": [{\"family\": \"" + p.last + "\", \"given\": [\"" + p.first + "\"]}],\n  \"birthDate\": \"" + p.isoDOB + "\"\n}\n"
	}},
	{"mail signature", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "support/thread-8812.txt", "Hi team,\n\nThe export still fails for me.\n\nThanks,\n" + p.first + "\nMob: " + p.mobile + "\n"
	}},
	{"sql update", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "db/fixes/2024-06-fix-email.sql", "-- ticket 5521: customer changed address\nUPDATE customers SET email = '" + p.email + "', postcode = '" + p.postcode + "' WHERE id = 88213;\n"
	}},
	{"pan in error log", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "logs/gateway-error.log", "2024-06-04 11:02:13 ERROR tokenise failed: invalid PAN " + p.card + " (issuer timeout)\n"
	}},
	{"jest snapshot", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "web/src/__snapshots__/Profile.test.tsx.snap", "exports[`Profile renders 1`] = `\n<div>\n  <h2>\n    " + p.name() + "\n  </h2>\n  <p>\n    Born " + p.dob + "\n  </p>\n  <p>\n    " + p.email + "\n  </p>\n</div>\n`;\n"
	}},
	{"email mention", "single-record", func(p person, _ *rand.Rand) (string, string) {
		return "docs/runbooks/mailer.md", "# Mailer runbook\n\nIf a bounce storm starts, check the last complaint: " + p.name() + " (" + p.email + ") reported duplicates.\n"
	}},
}

// bulkTemplates build exports holding n people.
var bulkTemplates = []struct {
	name string
	make func(ps []person) (path, text string)
}{
	{"csv export", func(ps []person) (string, string) {
		var b strings.Builder
		b.WriteString("id,first_name,last_name,email,phone,created_at\n")
		for i, p := range ps {
			fmt.Fprintf(&b, "%d,%s,%s,%s,%s,2024-03-%02d 10:00:00\n", 1000+i, p.first, p.last, p.email, p.mobile, 1+i%28)
		}
		return "exports/customers-2024-03.csv", b.String()
	}},
	{"tsv export", func(ps []person) (string, string) {
		var b strings.Builder
		b.WriteString("Name\tNHS Number\tDOB\tPostcode\n")
		for _, p := range ps {
			fmt.Fprintf(&b, "%s\t%s\t%s\t%s\n", p.name(), spaced(p.nhs, 3, 3, 4), p.dob, p.postcode)
		}
		return "data/clinic_list.tsv", b.String()
	}},
	{"sql insert rows", func(ps []person) (string, string) {
		var b strings.Builder
		b.WriteString("-- dump of prod users for local testing\nINSERT INTO `customers` (`id`, `name`, `email`, `dob`) VALUES\n")
		for i, p := range ps {
			sep := ","
			if i == len(ps)-1 {
				sep = ";"
			}
			fmt.Fprintf(&b, "(%d,'%s','%s','%s')%s\n", i+1, strings.ReplaceAll(p.name(), "'", "''"), p.email, p.isoDOB, sep)
		}
		return "db/dump.sql", b.String()
	}},
	{"sql copy", func(ps []person) (string, string) {
		var b strings.Builder
		b.WriteString("--\n-- PostgreSQL database dump\n--\n\nCOPY public.members (id, full_name, email, date_of_birth, ni_number) FROM stdin;\n")
		for i, p := range ps {
			fmt.Fprintf(&b, "%d\t%s\t%s\t%s\t%s\n", i+1, p.name(), p.email, p.isoDOB, p.nino)
		}
		b.WriteString("\\.\n\n")
		return "db/members.pgdump.sql", b.String()
	}},
	{"json fixture", func(ps []person) (string, string) {
		var b strings.Builder
		b.WriteString("[\n")
		for i, p := range ps {
			fmt.Fprintf(&b, "  {\"id\": %d, \"name\": %q, \"email\": %q, \"mobile\": %q}", i+1, p.name(), p.email, p.mobile)
			if i < len(ps)-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString("]\n")
		return "web/fixtures/users.json", b.String()
	}},
	{"django fixture", func(ps []person) (string, string) {
		var b strings.Builder
		b.WriteString("[\n")
		for i, p := range ps {
			fmt.Fprintf(&b, "  {\n    \"model\": \"accounts.user\",\n    \"pk\": %d,\n    \"fields\": {\n      \"first_name\": %q,\n      \"last_name\": %q,\n      \"email\": %q,\n      \"date_joined\": \"2023-11-0%dT12:00:00Z\"\n    }\n  },\n", i+1, p.first, p.last, p.email, 1+i%9)
		}
		b.WriteString("]\n")
		return "accounts/fixtures/users.json", b.String()
	}},
	{"yaml fixture", func(ps []person) (string, string) {
		var b strings.Builder
		b.WriteString("patients:\n")
		for _, p := range ps {
			fmt.Fprintf(&b, "  - name: %s\n    nhs_number: \"%s\"\n    dob: %s\n", p.name(), p.nhs, p.isoDOB)
		}
		return "test/fixtures/patients.yml", b.String()
	}},
	{"json log", func(ps []person) (string, string) {
		var b strings.Builder
		for i, p := range ps {
			fmt.Fprintf(&b, `{"time":"2024-06-04T10:%02d:00Z","level":"INFO","event":"password_reset","email":"%s","remote_addr":"86.%d.%d.%d"}`+"\n", i%60, p.email, 100+i%50, i%250, 1+i%200)
		}
		return "logs/app-2024-06-04.log", b.String()
	}},
	{"plain log", func(ps []person) (string, string) {
		var b strings.Builder
		for i, p := range ps {
			fmt.Fprintf(&b, "Jun  4 10:%02d:11 web-2 app[812]: signup completed for %s (%s) mobile=%s\n", i%60, p.name(), p.email, p.mobile)
		}
		return "logs/signup.log", b.String()
	}},
	{"notebook table", func(ps []person) (string, string) {
		var b strings.Builder
		b.WriteString("{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"execution_count\": 4,\n   \"outputs\": [\n    {\n     \"data\": {\n      \"text/plain\": [\n       \"   name                    email                          dob\\n\",\n")
		for i, p := range ps {
			fmt.Fprintf(&b, "       \"%d  %s  %s  %s\\n\",\n", i, p.name(), p.email, p.dob)
		}
		b.WriteString("       \"\"\n      ]\n     },\n     \"output_type\": \"execute_result\"\n    }\n   ],\n   \"source\": [\"df.head(20)\"]\n  }\n ]\n}\n")
		return "notebooks/eda.ipynb", b.String()
	}},
	{"rails seed array", func(ps []person) (string, string) {
		var b strings.Builder
		b.WriteString("customers = [\n")
		for _, p := range ps {
			fmt.Fprintf(&b, "  { name: \"%s\", email: \"%s\", postcode: \"%s\" },\n", p.name(), p.email, p.postcode)
		}
		b.WriteString("]\ncustomers.each { |c| Customer.create!(c) }\n")
		return "db/seeds/customers.rb", b.String()
	}},
	{"semicolon csv", func(ps []person) (string, string) {
		var b strings.Builder
		b.WriteString("Nachname;Vorname;E-Mail;Telefon\n")
		for _, p := range ps {
			fmt.Fprintf(&b, "%s;%s;%s;%s\n", p.last, p.first, p.email, p.mobile)
		}
		return "exports/kontakte.csv", b.String()
	}},
	{"markdown table", func(ps []person) (string, string) {
		var b strings.Builder
		b.WriteString("# Pilot participants\n\n| Name | Email | Mobile |\n|---|---|---|\n")
		for _, p := range ps {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", p.name(), p.email, p.mobile)
		}
		return "docs/research/pilot.md", b.String()
	}},
	{"xml records", func(ps []person) (string, string) {
		var b strings.Builder
		b.WriteString("<members>\n")
		for _, p := range ps {
			fmt.Fprintf(&b, "  <member><name>%s</name><ni>%s</ni><dob>%s</dob></member>\n", p.name(), p.nino, p.isoDOB)
		}
		b.WriteString("</members>\n")
		return "integration/hmrc/members.xml", b.String()
	}},
	{"jsonl phones", func(ps []person) (string, string) {
		var b strings.Builder
		for i, p := range ps {
			fmt.Fprintf(&b, `{"id":%d,"customer":"%s","mobile":"%s","opted_in":true}`+"\n", i, p.name(), p.mobile)
		}
		return "data/sms-optins.jsonl", b.String()
	}},
	{"health csv", func(ps []person) (string, string) {
		var b strings.Builder
		b.WriteString("patient_name,nhs_number,diagnosis,gp_practice\n")
		for _, p := range ps {
			fmt.Fprintf(&b, "%s,%s,Type 2 diabetes,Park Surgery\n", p.name(), p.nhs)
		}
		return "data/diabetes-cohort.csv", b.String()
	}},
}

// markingTemplates are documents carrying a classification marking.
var markingTemplates = []struct {
	name, class, path, text string
}{
	{"adr banner", "official-sensitive", "docs/adr/0007-data-retention.md", "OFFICIAL-SENSITIVE\n\n# ADR 7: Data retention for case files\n\n## Status\n\nAccepted\n\n## Context\n\nCase files are kept for seven years.\n\nOFFICIAL-SENSITIVE\n"},
	{"bold banner", "official-sensitive", "docs/design/threat-model.md", "**OFFICIAL-SENSITIVE**\n\n# Threat model\n\nThe gateway terminates TLS.\n"},
	{"secret txt", "classified-secret", "notes/ops-brief.txt", "SECRET\n\nOperation brief - distribution limited.\n\nSECRET\n"},
	{"eyes only", "classified-secret", "docs/liaison.md", "SECRET UK EYES ONLY\n\n# Liaison notes\n\nMeeting summary.\n"},
	{"top secret strap", "classified-secret", "docs/annex-b.txt", "TOP SECRET STRAP1\nAnnex B\n"},
	{"restricted legacy", "official-sensitive", "docs/legacy/2009-procedures.txt", "RESTRICTED\n\nStanding procedures for the data centre.\n\nRESTRICTED\n"},
	{"protect legacy", "official-sensitive", "docs/legacy/staff-list.txt", "PROTECT - PERSONAL\n\nStaff list\n"},
	{"confidential legacy", "official-sensitive", "docs/legacy/contract-notes.md", "CONFIDENTIAL\n\n# Contract notes\n\nRenewal in 2010.\n"},
	{"official banner", "official", "docs/service-design.md", "OFFICIAL\n\n# Service design\n\nUsers apply online.\n\nOFFICIAL\n"},
	{"msip custom.xml", "official-sensitive", "docs/templates/report/docProps/custom.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="MSIP_Label_a8a73c85-e524-44a6-bd58-7df7ef87be8f_Enabled"><vt:lpwstr>true</vt:lpwstr></property><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="MSIP_Label_a8a73c85-e524-44a6-bd58-7df7ef87be8f_Name"><vt:lpwstr>OFFICIAL-SENSITIVE</vt:lpwstr></property></Properties>` + "\n"},
	{"msip official", "official", "docs/templates/memo/docProps/custom.xml", `<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="MSIP_Label_0b1c2d3e-1111-4222-8333-944455566677_Name"><vt:lpwstr>OFFICIAL</vt:lpwstr></property>` + "\n"},
	{"front matter secret", "classified-secret", "docs/briefings/q3.md", "---\ntitle: Q3 threat briefing\nclassification: SECRET\nauthor: Security team\n---\n\n# Summary\n"},
	{"descriptor", "official-sensitive", "docs/procurement/pricing.txt", "OFFICIAL-SENSITIVE: COMMERCIAL\n\nSupplier pricing for lot 2 follows.\n"},
	{"go header", "official-sensitive", "internal/casework/export.go", "// OFFICIAL-SENSITIVE\n\npackage casework\n\nfunc Export() {}\n"},
	{"python footer", "classified-secret", "tools/collect.py", "import sys\n\n\ndef main():\n    print(sys.argv)\n\n\nmain()\n# SECRET\n"},
	{"html banner", "official-sensitive", "site/briefing.html", "<div class=\"banner\"><strong>OFFICIAL-SENSITIVE</strong></div>\n<h1>Briefing</h1>\n"},
	{"eml subject", "official-sensitive", "mail/restructure.eml", "From: Director <director@agency.gov.uk>\nSubject: OFFICIAL-SENSITIVE: Staff restructure\n\nPlease keep this within the team.\n"},
	{"heading banner", "official-sensitive", "docs/risks.md", "# OFFICIAL-SENSITIVE\n\n## Risk register\n\n| Risk | Owner |\n|---|---|\n| Outage | Ops |\n"},
	{"official sensitive personal", "official-sensitive", "docs/casework/process.md", "OFFICIAL-SENSITIVE PERSONAL\n\n# Casework process\n"},
	{"mixed case", "official-sensitive", "docs/minutes/2024-05.md", "Official – Sensitive\n\n# Minutes\n\nAttendees: programme board.\n"},
	{"uk confidential", "classified-secret", "docs/legacy/cable.txt", "UK CONFIDENTIAL\n\nSummary of discussions.\n"},
	{"yaml front matter official", "official", "content/guides/onboarding.md", "---\ntitle: Onboarding\nsecurity_classification: OFFICIAL\n---\nWelcome.\n"},
	{"secret heading edge", "classified-secret", "docs/ops/plan.md", "## SECRET\n\n# Plan\n\nDetails.\n"},
	{"bracket subject", "classified-secret", "notes/sitrep.txt", "[SECRET] Sitrep 14 May\n\nNothing to report.\n"},
	{"official sensitive commercial eml", "official-sensitive", "mail/bid.eml", "From: Bid team <bids@supplier.co.uk>\nSubject: RE: OFFICIAL-SENSITIVE COMMERCIAL - tender clarifications\n\nSee attached.\n"},
	{"docx core props", "official-sensitive", "docs/templates/letter/docProps/custom.xml", `<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="4" name="ClassificationLevel"><vt:lpwstr>OFFICIAL-SENSITIVE</vt:lpwstr></property>` + "\n"},
	{"adr footer only", "official", "docs/adr/0012-queues.md", "# ADR 12: Queues\n\n## Decision\n\nUse SQS.\n\n---\nOFFICIAL\n"},
	{"secret asciidoc", "classified-secret", "docs/annex.adoc", "= Annex C\n:classification: SECRET\n\nContent.\n"},
	{"restricted banner ts", "official-sensitive", "src/legacy/report.ts", "/* RESTRICTED */\nexport const report = () => null;\n"},
}

// negativeTemplates are content that must stay quiet; r varies the values.
var negativeTemplates = []struct {
	name string
	make func(r *rand.Rand) (path, text string)
}{
	{"client secret go", func(r *rand.Rand) (string, string) {
		return "internal/auth/oauth.go", "package auth\n\nvar clientSecret = os.Getenv(\"CLIENT_SECRET\")\n\nconst timeoutMs = " + randDigits(r, 6) + "\n"
	}},
	{"kind secret", func(r *rand.Rand) (string, string) {
		return "deploy/k8s/db-secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-credentials-" + randDigits(r, 4) + "\ntype: Opaque\nstringData:\n  username: app\n"
	}},
	{"enum top secret", func(r *rand.Rand) (string, string) {
		return "src/main/java/gov/Level.java", "public enum Level {\n    OFFICIAL,\n    OFFICIAL_SENSITIVE,\n    SECRET,\n    TOP_SECRET;\n    public static final int MAX = " + randDigits(r, 3) + ";\n}\n"
	}},
	{"official docs prose", func(r *rand.Rand) (string, string) {
		return "README.md", "# Widget\n\nSee the official documentation for setup. Keep your API secret safe and rotate it every " + fmt.Sprint(30+r.IntN(60)) + " days.\n\nConfidential information should not be logged.\n"
	}},
	{"versions", func(r *rand.Rand) (string, string) {
		return "package.json", fmt.Sprintf("{\n  \"name\": \"widget\",\n  \"version\": \"%d.%d.%d\",\n  \"dependencies\": {\n    \"react\": \"^18.%d.0\",\n    \"typescript\": \"5.%d.%d\"\n  }\n}\n", r.IntN(9), r.IntN(30), r.IntN(100), r.IntN(4), r.IntN(6), r.IntN(4))
	}},
	{"timestamps log", func(r *rand.Rand) (string, string) {
		var b strings.Builder
		for i := range 15 {
			fmt.Fprintf(&b, "2024-06-04T10:%02d:%02d.%03dZ INFO request_id=%s duration_ms=%d bytes=%d ts=%d\n", i, r.IntN(60), r.IntN(1000), randDigits(r, 10), r.IntN(900), r.IntN(999999), 1717490000+r.IntN(100000))
		}
		return "logs/access.log", b.String()
	}},
	{"uuids and hashes", func(r *rand.Rand) (string, string) {
		h := func(n int) string {
			const hx = "0123456789abcdef"
			b := make([]byte, n)
			for i := range b {
				b[i] = hx[r.IntN(16)]
			}
			return string(b)
		}
		return "build/manifest.json", "{\n  \"id\": \"" + h(8) + "-" + h(4) + "-4" + h(3) + "-a" + h(3) + "-" + h(12) + "\",\n  \"sha256\": \"" + h(64) + "\",\n  \"commit\": \"" + h(40) + "\",\n  \"size\": " + randDigits(r, 9) + "\n}\n"
	}},
	{"order ids", func(r *rand.Rand) (string, string) {
		return "fixtures/orders.json", "[{\"order_id\": \"" + genNHS(r) + "\", \"sku\": \"SKU-" + randDigits(r, 6) + "\", \"qty\": 2, \"total\": 24.99, \"tracking\": \"" + randDigits(r, 12) + "\"}]\n"
	}},
	{"luhn fail card", func(r *rand.Rand) (string, string) {
		return "docs/payments.md", "A declined card such as " + spaced(breakCheck(genCard(r, "4", 16)), 4, 4, 4, 4) + " returns error 05.\n"
	}},
	{"hmrc example nino", func(_ *rand.Rand) (string, string) {
		return "docs/api/employees.md", "`ni_number` (string): the employee's National Insurance number, for example QQ123456C or QQ 12 34 56 C.\n"
	}},
	{"nhs test numbers", func(r *rand.Rand) (string, string) {
		return "tests/test_pds.py", "NHS_NUMBERS = [\"999" + randDigits(r, 7) + "\", \"999 000 " + randDigits(r, 4) + "\"]\n\ndef test_lookup():\n    assert lookup(NHS_NUMBERS[0]).nhs_number == NHS_NUMBERS[0]\n"
	}},
	{"stripe test cards", func(_ *rand.Rand) (string, string) {
		return "web/src/checkout.test.ts", "const CARDS = {\n  visa: '4242 4242 4242 4242',\n  declined: '4000 0000 0000 0002',\n  mastercard: '5555555555554444',\n  amex: '378282246310005',\n};\n"
	}},
	{"adyen test cards", func(_ *rand.Rand) (string, string) {
		return "tests/adyen_cards.py", "# Adyen test card numbers\nTEST_CARDS = {\n    \"visa\": \"4111 1111 4555 1142\",\n    \"mastercard\": \"5555 3412 4444 1115\",\n    \"amex\": \"3700 0000 0000 002\",\n    \"maestro\": \"6771 7980 2100 0008\",\n}\n"
	}},
	{"doc ibans", func(_ *rand.Rand) (string, string) {
		return "docs/banking.md", "IBANs look like GB29 NWBK 6016 1331 9268 19 or GB82 WEST 1234 5698 7654 32 (examples from the ECBS register).\n"
	}},
	{"drama numbers", func(r *rand.Rand) (string, string) {
		return "web/src/locales/en-GB.json", "{\n  \"contact.phone\": \"Call " + evalFirsts[r.IntN(len(evalFirsts))] + " on 07700 900" + randDigits(r, 3) + "\",\n  \"contact.office\": \"020 7946 0" + randDigits(r, 3) + "\",\n  \"contact.leeds\": \"0113 496 0" + randDigits(r, 3) + "\"\n}\n"
	}},
	{"reserved domains", func(r *rand.Rand) (string, string) {
		f := strings.ToLower(evalFirsts[r.IntN(len(evalFirsts))])
		return "tests/test_mailer.py", "def test_send():\n    send(to=\"" + f + "@example.com\", cc=[\"ops@example.org\", \"" + f + ".smith@test.example\"], bcc=\"x@foo.invalid\")\n"
	}},
	{"doc ips", func(r *rand.Rand) (string, string) {
		return "docs/firewall.md", fmt.Sprintf("Allow 192.0.2.%d and 198.51.100.%d; the user alice signs in from 203.0.113.%d or 2001:db8::%x.\n", r.IntN(250), r.IntN(250), r.IntN(250), r.IntN(4000))
	}},
	{"business footer", func(r *rand.Rand) (string, string) {
		return "site/templates/footer.html", "<footer>\n  <p>Northwind Energy Ltd. Registered office: " + fmt.Sprint(1+r.IntN(90)) + " Park Row, Leeds LS1 5HD. Registered in England and Wales no. 0" + randDigits(r, 7) + ".</p>\n  <p>Switchboard: " + genLandline(r) + " | <a href=\"mailto:info@northwind-energy.co.uk\">info@northwind-energy.co.uk</a> | support@northwind-energy.co.uk</p>\n</footer>\n"
	}},
	{"oss credits", func(r *rand.Rand) (string, string) {
		p := genPersonFull(r)
		return "setup.py", "from setuptools import setup\n\nsetup(\n    name=\"widget\",\n    version=\"1." + fmt.Sprint(r.IntN(20)) + ".0\",\n    author=\"" + p.name() + "\",\n    author_email=\"" + p.email + "\",\n)\n"
	}},
	{"authors file", func(r *rand.Rand) (string, string) {
		var b strings.Builder
		b.WriteString("# Contributors to widget\n")
		for range 12 {
			p := genPersonFull(r)
			fmt.Fprintf(&b, "%s <%s>\n", p.name(), p.email)
		}
		return "AUTHORS", b.String()
	}},
	{"package author", func(r *rand.Rand) (string, string) {
		p := genPersonFull(r)
		return "web/package.json", "{\n  \"name\": \"@acme/ui\",\n  \"version\": \"3.2.1\",\n  \"author\": \"" + p.name() + " <" + p.email + ">\",\n  \"license\": \"MIT\"\n}\n"
	}},
	{"localisation", func(_ *rand.Rand) (string, string) {
		return "web/src/locales/fr.json", "{\n  \"form.name\": \"Nom complet\",\n  \"form.email\": \"Adresse e-mail\",\n  \"form.email.placeholder\": \"vous@exemple.fr\",\n  \"form.phone.hint\": \"Par exemple 07700 900123\",\n  \"form.dob\": \"Date de naissance (JJ/MM/AAAA)\"\n}\n"
	}},
	{"localisation yaml", func(_ *rand.Rand) (string, string) {
		return "config/locales/en.yml", "en:\n  users:\n    name: \"Full name\"\n    email: \"Email address\"\n    dob: \"Date of birth\"\n    nhs_number: \"NHS number (10 digits)\"\n"
	}},
	{"schema", func(_ *rand.Rand) (string, string) {
		return "db/schema.sql", "CREATE TABLE patients (\n  id BIGSERIAL PRIMARY KEY,\n  nhs_number CHAR(10) NOT NULL,\n  full_name TEXT NOT NULL,\n  date_of_birth DATE,\n  email TEXT\n);\n"
	}},
	{"metrics csv", func(r *rand.Rand) (string, string) {
		var b strings.Builder
		b.WriteString("date,region,orders,revenue_pence\n")
		for i := range 20 {
			fmt.Fprintf(&b, "2024-05-%02d,%s,%d,%s\n", 1+i, []string{"North", "South", "Wales"}[i%3], r.IntN(5000), randDigits(r, 8))
		}
		return "reports/daily.csv", b.String()
	}},
	{"helpline", func(_ *rand.Rand) (string, string) {
		return "docs/support.md", "Customers can call the helpline on 0300 123 4567 or 0800 056 0566, Monday to Friday.\n"
	}},
	{"placeholder people", func(_ *rand.Rand) (string, string) {
		return "tests/factories.py", "class UserFactory(Factory):\n    name = \"John Doe\"\n    email = \"john.doe@example.com\"\n    dob = \"1990-01-01\"\n    phone = \"07700 900000\"\n"
	}},
	{"workflow secrets", func(_ *rand.Rand) (string, string) {
		return ".github/workflows/deploy.yml", "name: deploy\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      SECRET: ${{ secrets.DEPLOY_KEY }}\n      CONFIDENTIAL: \"false\"\n"
	}},
	{"terraform tags", func(_ *rand.Rand) (string, string) {
		return "infra/bucket.tf", "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"acme-logs\"\n  tags = {\n    DataClassification = \"Confidential\"\n  }\n}\n"
	}},
	{"policy prose", func(_ *rand.Rand) (string, string) {
		return "docs/security/classification.md", "# Handling classified material\n\nThe Government Security Classifications policy has three tiers: OFFICIAL, SECRET and TOP SECRET.\nOFFICIAL-SENSITIVE is a handling caveat within OFFICIAL. Never store SECRET material here.\n"
	}},
	{"mid-doc heading", func(_ *rand.Rand) (string, string) {
		return "docs/k8s/resources.md", "# Kubernetes resources\n\nThis page lists the resource kinds we use.\n\n## CONFIGMAP\n\nPlain settings.\n\n## SECRET\n\nCredentials, mounted as files.\n\n## SERVICE\n\nNetworking.\n\nMore text follows here.\n"
	}},
	{"ip no person", func(r *rand.Rand) (string, string) {
		return "logs/nginx.log", fmt.Sprintf("81.2.%d.%d - - [04/Jun/2024:10:00:01 +0000] \"GET /healthz HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.29\"\n", r.IntN(250), r.IntN(250))
	}},
	{"companies house", func(r *rand.Rand) (string, string) {
		return "docs/suppliers.md", "| Supplier | Company number | VAT |\n|---|---|---|\n| Northwind Ltd | 0" + randDigits(r, 7) + " | pending |\n"
	}},
	{"supplier contacts", func(r *rand.Rand) (string, string) {
		var b strings.Builder
		b.WriteString("supplier,contact_email,phone\n")
		for i := range 12 {
			fmt.Fprintf(&b, "Supplier %d Ltd,sales@supplier%d.co.uk,0800 %s %s\n", i, i, randDigits(r, 3), randDigits(r, 4))
		}
		return "data/suppliers.csv", b.String()
	}},
	{"changelog", func(r *rand.Rand) (string, string) {
		p := genPersonFull(r)
		return "CHANGELOG.md", "## 2.4.0 (2024-05-01)\n\n- Fix crash on empty input (#" + randDigits(r, 4) + "), thanks to " + p.name() + " <" + p.email + ">\n"
	}},
	{"license", func(r *rand.Rand) (string, string) {
		p := genPersonFull(r)
		return "LICENSE", "MIT License\n\nCopyright (c) 2024 " + p.name() + "\n\nPermission is hereby granted, free of charge, to any person obtaining a copy.\n"
	}},
	{"number literals", func(r *rand.Rand) (string, string) {
		return "pkg/limits/limits.go", "package limits\n\nconst (\n\tMaxUpload = " + randDigits(r, 10) + "\n\tSeed      = " + genNHS(r) + "\n\tEpochMs   = 1717490000" + randDigits(r, 3) + "\n)\n"
	}},
	{"git log", func(r *rand.Rand) (string, string) {
		p := genPersonFull(r)
		return "docs/release/notes.txt", "commit 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b\nAuthor: " + p.name() + " <" + p.email + ">\nDate:   Tue Jun 4 10:00:00 2024 +0100\n\n    Bump version to 1." + fmt.Sprint(r.IntN(9)) + ".0\n"
	}},
	{"phone hint code", func(r *rand.Rand) (string, string) {
		return "web/src/PhoneInput.tsx", "export const PhoneInput = () => (\n  <input type=\"tel\" placeholder=\"07700 900" + randDigits(r, 3) + "\" pattern=\"^0[0-9]{10}$\" />\n);\n"
	}},
	{"bank docs", func(_ *rand.Rand) (string, string) {
		return "docs/bacs.md", "Sort codes have six digits (for example 12-34-56) and account numbers eight (for example 12345678).\n"
	}},
	{"base64 blob", func(r *rand.Rand) (string, string) {
		const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
		b := make([]byte, 300)
		for i := range b {
			b[i] = b64[r.IntN(64)]
		}
		return "assets/icons.json", "{\"logo\": \"data:image/png;base64," + string(b) + "==\"}\n"
	}},
	{"patient ids short", func(r *rand.Rand) (string, string) {
		return "app/services/patients.py", "def load(patient_id: int = " + randDigits(r, 5) + "):\n    return Patient.objects.get(pk=patient_id)\n"
	}},
	{"department phones", func(r *rand.Rand) (string, string) {
		return "docs/contacts.md", "| Department | Phone |\n|---|---|\n| Accounts | " + genLandline(r) + " |\n| Reception | " + genLandline(r) + " |\n| IT Service Desk | " + genLandline(r) + " |\n"
	}},
	{"faker output", func(r *rand.Rand) (string, string) {
		return "tests/fixtures/generated.json", "[{\"name\": \"Test User " + fmt.Sprint(r.IntN(99)) + "\", \"email\": \"user" + fmt.Sprint(r.IntN(99)) + "@example.net\", \"phone\": \"+44 7700 900" + randDigits(r, 3) + "\"}]\n"
	}},
	{"phone format docs", func(r *rand.Rand) (string, string) {
		return "docs/validation.md", "UK numbers are accepted as 020 7946 0" + randDigits(r, 3) + " or +44 20 7946 0" + randDigits(r, 3) + "; mobiles as 07700 900" + randDigits(r, 3) + ".\n"
	}},
	{"restricted code comment", func(_ *rand.Rand) (string, string) {
		return "src/api/admin.ts", "import { Router } from 'express';\n\nconst router = Router();\n\n\n\n// RESTRICTED: only admins may call this\nrouter.post('/purge', purge);\n\n\n\nexport default router;\n"
	}},
	{"config access level", func(_ *rand.Rand) (string, string) {
		return "config/buckets.yaml", "buckets:\n  - name: exports\n    access: RESTRICTED\n    classification: internal\n"
	}},
	{"game strings", func(_ *rand.Rand) (string, string) {
		return "assets/strings/en.json", "{\n  \"achievement.spy\": \"Top Secret\",\n  \"achievement.spy.desc\": \"Find the SECRET room\",\n  \"menu.official\": \"Official servers\"\n}\n"
	}},
	{"openapi enum", func(_ *rand.Rand) (string, string) {
		return "api/openapi.yaml", "components:\n  schemas:\n    Sensitivity:\n      type: string\n      enum:\n        - OFFICIAL\n        - OFFICIAL-SENSITIVE\n        - SECRET\n"
	}},
	{"private ips", func(r *rand.Rand) (string, string) {
		return "deploy/hosts.ini", fmt.Sprintf("[web]\n10.0.%d.%d\n10.0.%d.%d\n[db]\n172.16.%d.%d ansible_user=deploy\n", r.IntN(250), r.IntN(250), r.IntN(250), r.IntN(250), r.IntN(250), r.IntN(250))
	}},
	{"luhn trace ids", func(r *rand.Rand) (string, string) {
		return "logs/tracing.log", "2024-06-04T10:00:00Z span trace_id=" + genCard(r, "4", 16) + " parent=" + randDigits(r, 16) + " dur=12ms\n"
	}},
	{"secret manager code", func(_ *rand.Rand) (string, string) {
		return "app/settings.py", "SECRET_KEY = os.environ[\"SECRET_KEY\"]\nSESSION_COOKIE_SECURE = True\nCLASSIFICATION = \"OFFICIAL\"\nSENSITIVITY_LEVELS = [\"OFFICIAL\", \"OFFICIAL-SENSITIVE\", \"SECRET\"]\n"
	}},
}

func buildEval() []evalItem {
	r := newRand(2024)
	var items []evalItem
	for round := range 4 {
		for _, t := range singleTemplates {
			path, text := t.make(genPersonFull(r), r)
			items = append(items, evalItem{name: fmt.Sprintf("%s#%d", t.name, round), path: path, text: text, want: []string{t.class}})
		}
	}
	for round, n := range []int{12, 25, 40} {
		for _, t := range bulkTemplates {
			ps := make([]person, n)
			seen := map[string]bool{}
			for i := range ps {
				for {
					ps[i] = genPersonFull(r)
					if !seen[ps[i].email] {
						seen[ps[i].email] = true
						break
					}
				}
			}
			path, text := t.make(ps)
			items = append(items, evalItem{name: fmt.Sprintf("%s#%d", t.name, round), path: path, text: text, want: []string{"bulk"}, subjects: n})
		}
	}
	for _, t := range markingTemplates {
		items = append(items, evalItem{name: t.name, path: t.path, text: t.text, want: []string{t.class}})
	}
	// An incident report both marked and holding a record.
	p := genPersonFull(r)
	items = append(items, evalItem{name: "marked incident report", path: "docs/incidents/ir-17.md",
		text: "OFFICIAL-SENSITIVE\n\n# IR-17\n\nAffected: " + p.name() + ", DOB " + p.dob + ", " + p.email + "\n\nOFFICIAL-SENSITIVE\n",
		want: []string{"official-sensitive", "single-record"}})
	for round := range 4 {
		for _, t := range negativeTemplates {
			path, text := t.make(r)
			items = append(items, evalItem{name: fmt.Sprintf("%s#%d", t.name, round), path: path, text: text})
		}
	}
	return items
}

func markingClass(c string) bool {
	return c == "official" || c == "official-sensitive" || c == "classified-secret"
}

// TestEvalCorpus scores the detector on the evaluation corpus: precision
// over findings, recall over expected findings and the share of true
// findings given the right class (and so the right severity).
func TestEvalCorpus(t *testing.T) {
	items := buildEval()
	var pos, neg, tp, fp, fn, classOK, subjectsOff int
	for _, it := range items {
		fs := run(t, it.path, it.text)
		if len(it.want) == 0 {
			neg++
		}
		pos += len(it.want)
		used := make([]bool, len(fs))
		for _, w := range it.want {
			match := -1
			for j, f := range fs {
				if !used[j] && markingClass(f.Class) == markingClass(w) && (match < 0 || f.Class == w) {
					match = j
				}
			}
			if match < 0 {
				fn++
				t.Logf("MISS %s (%s): want %s, got %v", it.name, it.path, w, classes(fs))
				continue
			}
			used[match] = true
			tp++
			f := fs[match]
			if f.Class == w {
				classOK++
			} else {
				t.Logf("CLASS %s (%s): want %s, got %s", it.name, it.path, w, f.Class)
			}
			if w == "bulk" && f.Class == "bulk" && (f.Subjects < it.subjects*9/10 || f.Subjects > it.subjects*11/10) {
				subjectsOff++
				t.Logf("SUBJECTS %s: %d, want about %d", it.name, f.Subjects, it.subjects)
			}
		}
		for j, f := range fs {
			if !used[j] {
				fp++
				t.Logf("FALSE %s (%s): %s %s line %d", it.name, it.path, f.RuleID, f.Class, f.StartLine)
			}
		}
	}
	precision := float64(tp) / float64(max(1, tp+fp))
	recall := float64(tp) / float64(max(1, pos))
	classAcc := float64(classOK) / float64(max(1, tp))
	t.Logf("eval: %d expected findings, %d negative files; tp=%d fp=%d fn=%d; precision %.3f recall %.3f class accuracy %.3f; bulk subject counts off: %d",
		pos, neg, tp, fp, fn, precision, recall, classAcc, subjectsOff)
	if pos < 150 || neg < 150 {
		t.Fatalf("corpus too small: %d positives, %d negatives", pos, neg)
	}
	if precision < 0.95 || recall < 0.90 || classAcc < 0.90 || subjectsOff > 0 {
		t.Errorf("below target: precision %.3f (>= 0.95), recall %.3f (>= 0.90), class accuracy %.3f (>= 0.90), subject counts off %d",
			precision, recall, classAcc, subjectsOff)
	}
}

func classes(fs []finding.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Class+"@"+fmt.Sprint(f.StartLine))
	}
	return out
}
