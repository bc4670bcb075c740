package pii

import (
	"bytes"
	"strings"
)

// kind is a kind of personal datum; its string is the data kind reported.
type kind string

const (
	kNHS      kind = "nhs-number"
	kNINO     kind = "national-insurance-number"
	kUTR      kind = "tax-reference"
	kVAT      kind = "vat-number"
	kPassport kind = "passport-number"
	kLicence  kind = "driving-licence-number"
	kBank     kind = "bank-account"
	kSortCode kind = "sort-code"
	kAccount  kind = "account-number"
	kCard     kind = "payment-card"
	kIBAN     kind = "iban"
	kEmail    kind = "email"
	kPhone    kind = "phone"
	kDOB      kind = "date-of-birth"
	kName     kind = "name"
	kAddress  kind = "postal-address"
	kIP       kind = "ip-address"
	kHealth   kind = "health"
	// kUser is an account identifier: not personal data on its own, but it
	// ties an IP address to a person.
	kUser kind = "user-id"
)

// kindInfo gives each reportable kind its rule suffix, title, redaction
// label and rank (lower is the stronger primary kind of a record).
var kindInfo = map[kind]struct {
	title, label string
	rank         int
}{
	kNHS:      {"NHS number", "NHS", 0},
	kNINO:     {"National Insurance number", "NINO", 1},
	kPassport: {"UK passport number", "passport", 2},
	kLicence:  {"UK driving licence number", "licence", 3},
	kCard:     {"Payment card number", "card", 4},
	kIBAN:     {"IBAN", "IBAN", 5},
	kBank:     {"Sort code and account number", "bank", 6},
	kUTR:      {"Unique Taxpayer Reference", "UTR", 7},
	kVAT:      {"VAT registration number", "VAT", 8},
	kDOB:      {"Date of birth", "DOB", 9},
	kEmail:    {"Personal email address", "email", 10},
	kPhone:    {"UK phone number", "phone", 11},
	kAddress:  {"Postal address", "address", 12},
	kIP:       {"IP address tied to a person", "IP", 13},
	kHealth:   {"Health data", "health", 14},
	kName:     {"Person's name", "name", 15},
	kSortCode: {"Sort code", "sort code", 16},
	kAccount:  {"Account number", "account", 17},
	kUser:     {"User identifier", "user", 18},
}

// normKey lower-cases a key and drops everything but letters and digits,
// so first_name, firstName and "First Name" compare equal.
func normKey(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isUpper(c):
			b.WriteByte(c + 32)
		case isLower(c) || isDigit(c):
			b.WriteByte(c)
		}
	}
	return b.String()
}

var exactKeys = map[string]kind{
	"name": kName, "fullname": kName, "firstname": kName, "forename": kName, "forenames": kName, "givenname": kName,
	"lastname": kName, "surname": kName, "familyname": kName, "middlename": kName, "patientname": kName,
	"customername": kName, "clientname": kName, "employeename": kName, "contactname": kName, "personname": kName,
	"accountholder": kName, "accountholdername": kName, "cardholder": kName, "cardholdername": kName,
	"holdername": kName, "applicantname": kName, "membername": kName, "studentname": kName, "staffname": kName,
	"nextofkin": kName, "fname": kName, "lname": kName, "patient": kName, "customer": kName, "employee": kName,
	"dob": kDOB, "dateofbirth": kDOB, "birthdate": kDOB, "birthday": kDOB, "dobddmmyyyy": kDOB,
	"email": kEmail, "emailaddress": kEmail, "mail": kEmail, "personalemail": kEmail, "workemail": kEmail,
	"nino": kNINO, "ninumber": kNINO, "nationalinsurance": kNINO, "nationalinsurancenumber": kNINO, "nationalinsuranceno": kNINO, "nin": kNINO,
	"utr": kUTR, "taxreference": kUTR, "uniquetaxpayerreference": kUTR, "saurt": kUTR,
	"vat": kVAT, "vatnumber": kVAT, "vatno": kVAT, "vatreg": kVAT, "vatregistrationnumber": kVAT,
	"sortcode": kSortCode, "sort": kSortCode,
	"accountnumber": kAccount, "accountno": kAccount, "acctno": kAccount, "bankaccount": kAccount, "bankaccountnumber": kAccount, "acc": kAccount,
	"cardnumber": kCard, "pan": kCard, "ccnumber": kCard, "creditcard": kCard, "creditcardnumber": kCard, "card": kCard, "cardno": kCard, "cc": kCard,
	"iban":    kIBAN,
	"address": kAddress, "addressline1": kAddress, "address1": kAddress, "street": kAddress, "streetaddress": kAddress,
	"homeaddress": kAddress, "postcode": kAddress, "postalcode": kAddress,
	"zip": kAddress, "zipcode": kAddress, "residentialaddress": kAddress,
	"ip": kIP, "ipaddress": kIP, "clientip": kIP, "remoteaddr": kIP, "remoteip": kIP, "sourceip": kIP, "srcip": kIP,
	"userip": kIP, "xforwardedfor": kIP, "lastloginip": kIP, "ipaddr": kIP, "loginip": kIP, "clientaddress": kIP,
	"user": kUser, "username": kUser, "userid": kUser, "uid": kUser, "login": kUser, "customerid": kUser,
	"accountid": kUser, "memberid": kUser, "patientid": kUser, "employeeid": kUser, "userlogin": kUser,
	"diagnosis": kHealth, "diagnoses": kHealth, "condition": kHealth, "conditions": kHealth, "medicalcondition": kHealth,
	"medication": kHealth, "medications": kHealth, "prescription": kHealth, "prescriptions": kHealth,
	"allergies": kHealth, "allergy": kHealth, "symptoms": kHealth, "treatment": kHealth, "clinicalnotes": kHealth,
	"medicalhistory": kHealth, "disability": kHealth, "hivstatus": kHealth, "mentalhealth": kHealth,
	"bloodtype": kHealth, "icd10": kHealth, "icd10code": kHealth, "snomed": kHealth, "snomedcode": kHealth,
	"readcode": kHealth, "healthcondition": kHealth, "dischargesummary": kHealth, "referralreason": kHealth,
	"medicalnotes": kHealth, "gpnotes": kHealth, "clinicalcondition": kHealth, "presentingcomplaint": kHealth,
}

// keyKind maps a structured key (JSON/YAML key, CSV column, SQL column,
// key=value pair) to the kind of value it holds. It normalises into a stack
// buffer because it runs on every key of every candidate line.
func keyKind(key string) kind {
	var buf [48]byte
	k := buf[:0]
	for i := 0; i < len(key) && len(k) < len(buf); i++ {
		switch c := key[i]; {
		case isUpper(c):
			k = append(k, c+32)
		case isLower(c) || isDigit(c):
			k = append(k, c)
		}
	}
	if len(k) == 0 {
		return ""
	}
	if kd, ok := exactKeys[string(k)]; ok {
		return kd
	}
	has := func(w string) bool { return bytes.Contains(k, []byte(w)) }
	switch {
	case has("nhs"):
		return kNHS
	case has("passport"):
		return kPassport
	case has("licence") || has("drivinglicense") || has("driverslicense"):
		return kLicence
	case has("nationalinsurance"):
		return kNINO
	case has("birth"):
		return kDOB
	case has("phone") || has("mobile") || bytes.HasPrefix(k, []byte("tel")) && len(k) <= 9:
		return kPhone
	case has("email"):
		return kEmail
	case has("iban"):
		return kIBAN
	case has("sortcode"):
		return kSortCode
	case has("cardnumber"):
		return kCard
	case bytes.HasSuffix(k, []byte("postcode")):
		return kAddress
	}
	return ""
}

// contextWords are the words near a short or checksum-less value that say
// what it is, for values found in free text rather than under a key.
var contextWords = map[kind][]string{
	kNHS:      {"nhs", "patient", "health and care number", "h&c number"},
	kNINO:     {"national insurance", "nino", "ni number", "ni no"},
	kUTR:      {"utr", "unique taxpayer", "tax reference", "self assessment"},
	kVAT:      {"vat"},
	kPassport: {"passport"},
	kLicence:  {"licence", "license", "dvla"},
	kSortCode: {"sort code", "sort-code", "sortcode"},
	kAccount:  {"account", "acc no", "a/c"},
	kCard:     {"card", "visa", "mastercard", "amex", "pan", "credit", "debit", "payment"},
	kPhone:    {"phone", "tel", "mobile", "mob", "call", "contact", "sms", "whatsapp", "cell", "callback", "call back", "rang", "ring", "text"},
	kDOB:      {"dob", "d.o.b", "birth", "born", "bday", "birthday"},
	kIBAN:     {"iban"},
}

// healthWords mark a line as describing someone's health.
var healthWords = []string{"diagnos", "medication", "prescribed", "prescription", "allerg", "symptom", "hiv ",
	"cancer", "diabetes", "asthma", "depression", "anxiety disorder", "pregnan", "disabilit", "mental health",
	"dementia", "epilepsy", "chemotherapy", "schizophrenia", "bipolar", "clinical note", "referred to", "admitted with"}

// roleLocalParts are mailbox names of organisations rather than people.
var roleLocalParts = setOf("noreply", "no-reply", "donotreply", "do-not-reply", "info", "support", "sales", "admin",
	"administrator", "contact", "hello", "help", "helpdesk", "team", "security", "privacy", "billing", "accounts",
	"enquiries", "enquiry", "inquiries", "office", "webmaster", "postmaster", "hostmaster", "abuse", "hr", "jobs",
	"careers", "recruitment", "press", "media", "marketing", "service", "services", "customerservice",
	"customerservices", "customercare", "feedback", "dev", "devops", "ops", "root", "mail", "notifications",
	"notification", "alerts", "alert", "newsletter", "news", "legal", "compliance", "dpo", "gdpr", "finance",
	"payments", "invoices", "orders", "bookings", "reception", "general", "mailer-daemon", "bounce", "bounces",
	"it", "itsupport", "servicedesk", "dataprotection", "foi", "complaints", "partners", "community", "opensource",
	"oss", "maintainers", "developers", "engineering", "business", "pr", "events", "membership", "editor",
	"director", "ceo", "cto", "cio", "ciso", "manager", "secretary", "chair", "chairman", "headteacher", "principal",
	"registrar", "clerk", "reception", "headoffice", "board", "governors", "bids", "bid", "tenders", "procurement",
	"contracts", "purchasing", "recruiting", "talent", "hiring", "people", "test", "tests", "testing", "user", "username", "someone",
	"somebody", "example", "foo", "bar", "baz", "me", "you", "name", "email", "your.name", "yourname", "your.email",
	"youremail", "firstname.lastname", "first.last", "firstname", "john.doe", "jane.doe", "johndoe", "janedoe",
	"j.doe", "jdoe", "nobody", "anonymous", "null", "none", "demo", "sample", "placeholder", "changeme", "bot",
	"github-actions", "actions", "ci", "build", "deploy", "release", "releases", "git", "security-alerts", "ssl",
	// The cast of cryptography and documentation examples.
	"alice", "bob", "carol", "charlie", "dave", "eve", "mallory", "trent", "joe", "jane", "john", "jsmith", "user1", "user2")

// placeholderDomains are reserved or conventionally fake mail domains.
var placeholderDomains = setOf("domain.com", "email.com", "yourdomain.com", "yourcompany.com", "company.com",
	"mydomain.com", "sample.com", "test.com", "foo.com", "bar.com", "acme.com", "example.co.uk", "mail.com",
	"somewhere.com", "nowhere.com", "host.com", "server.com", "website.com", "site.com", "organisation.com",
	"organization.com", "users.noreply.github.com", "noreply.github.com", "localhost.localdomain", "fake.com",
	"mailinator.com", "email.test", "xyz.com", "abc.com", "corp.com", "domain.tld", "mycompany.com", "openssh.com",
	"libssh.org", "amazonses.com", "sentry.io", "cloudbuild.gserviceaccount.com")

// commonTLDs are the generic top-level domains accepted in addresses; any
// two-letter country code is accepted too, except file extensions.
var commonTLDs = setOf("com", "org", "net", "edu", "gov", "mil", "int", "info", "biz", "io", "dev", "app", "ai",
	"tech", "cloud", "online", "site", "xyz", "me", "co", "email", "name", "pro", "mobi", "academy", "health",
	"nhs", "page", "blog", "digital", "solutions", "services", "agency", "studio", "london", "scot", "wales", "cymru")

var notCountryTLDs = setOf("js", "py", "go", "rb", "sh", "md", "ts", "cs", "rs", "pm", "db", "gz", "xz", "so", "vb", "fs")

// attributionWords mark lines that credit authors or maintainers, whose
// contact addresses are published deliberately.
var attributionWords = []string{"author", "maintainer", "copyright", "(c)", "©", "signed-off-by", "co-authored-by",
	"reviewed-by", "reported-by", "acked-by", "tested-by", "suggested-by", "contributor", "committer", "credits",
	"packager", "developer", "owner", "mailto:", "contact us", "email us", "report bug", "report issue", "report security",
	"report vulnerab", "report a ", "report it", "report any", "report problem", "bug report", "license", "licence",
	"updated by", "written by", "compiled by", "created by", "maintained by", "edited by", "thanks", "courtesy"}

// attributionFiles are files whose purpose is to list people's contacts or
// a project's: their addresses are published on purpose, so only their email
// addresses are ignored.
var attributionFiles = setOf("authors", "contributors", "maintainers", "codeowners", ".mailmap", "notice",
	"credits", "thanks", "owners", "changelog", "changes", "history", "license", "licence", "copying",
	"package.json", "setup.py", "setup.cfg", "pyproject.toml", "cargo.toml", "pom.xml", "control",
	"composer.json", "security.md", "code_of_conduct.md", "contributing.md", "citation.cff", "go.mod", "go.sum",
	"package-lock.json", "yarn.lock", "pnpm-lock.yaml", "gemfile.lock", "poetry.lock", "readme", "contributing",
	"governance", "support", "security", "code_of_conduct", "tree-sitter.json", "bower.json", "manifest.json")

// firstNames are common given names in the UK, used to spot a person's name
// next to personal data in free text (never on its own).
var firstNames = setOf(strings.Fields(`James John Robert Michael William David Richard Joseph Thomas Charles
	Christopher Daniel Matthew Anthony Mark Paul Steven Andrew Kenneth Joshua Kevin Brian George Timothy Ronald
	Edward Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel
	Gregory Alexander Patrick Frank Raymond Jack Dennis Jerry Tyler Aaron Jose Adam Nathan Henry Peter Zachary
	Douglas Harold Oliver Harry Charlie Alfie Freddie Archie Leo Oscar Noah Arthur Theo Ethan Isaac Lucas Mohammed
	Muhammad Ahmed Ali Hassan Omar Raj Sanjay Amit Rahul Priya Aisha Fatima Mary Patricia Jennifer Linda Elizabeth
	Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Margaret Sandra Ashley Kimberly Emily Donna Michelle Carol
	Amanda Dorothy Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Angela Helen Anna Brenda
	Pamela Emma Nicole Samantha Katherine Christine Debra Rachel Carolyn Janet Catherine Maria Heather Diane Ruth
	Julie Olivia Joyce Victoria Kelly Lauren Christina Joan Evelyn Judith Megan Andrea Cheryl Hannah Jacqueline
	Martha Gloria Teresa Ann Sara Madison Frances Kathryn Janice Jean Abigail Alice Sophie Sophia Amelia Isla Ava
	Mia Isabella Grace Lily Ella Chloe Charlotte Poppy Jessica Evie Ruby Freya Daisy Florence Holly Lucy Zoe Eleanor
	Jane Janet Claire Clare Louise Joanne Nicola Gemma Kirsty Fiona Siobhan Niamh Aoife Ciara Sean Liam Conor Ciaran
	Callum Connor Declan Ewan Fraser Hamish Iain Ian Craig Gordon Stuart Neil Graham Keith Colin Alan Alison Gillian
	Shona Morag Rhys Dylan Gareth Dafydd Owen Sian Bethan Carys Megan Tom Tim Ben Sam Dan Joe Max Jake Luke Josh
	Lewis Mason Logan Harvey Reuben Toby Finley Rory Jamie Kieran Dominic Simon Martin Philip Phil Tony Terry
	Barry Derek Trevor Nigel Malcolm Roger Geoffrey Graham Russell Wayne Dean Lee Carl Shaun Darren Lorraine Tracey
	Tracy Dawn Julia Natalie Hayley Kerry Leanne Jade Amber Chelsea Paige Bethany Abbie Katie Kate Jenny Jo Liz
	Beth Ellie Millie Maisie Imogen Phoebe Harriet Rosie Matilda Ivy Elsie Willow Aria Nadia Yasmin Zara Maryam`)...)

// notNameWords are capitalised words that start sentences or code rather
// than names.
var nameStopWords = setOf("Test", "User", "Admin", "Example", "Sample", "Demo", "Foo", "Bar", "Customer",
	"Patient", "Name", "Unknown", "None", "Null", "True", "False", "Default", "Anonymous", "Guest", "Doe",
	"Bloggs", "Public", "Other", "Person", "Somebody", "Someone", "Mr", "Mrs", "Ms", "Dr", "Street", "Road", "Lane")
