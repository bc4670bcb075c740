package pii

import (
	"bytes"
	"math/bits"
	"net/netip"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aiguard/aiguard/finding"
)

// hit is one personal datum found on a line. val stays in memory: it is
// only used to count distinct data subjects and fill Finding.Secret.
type hit struct {
	kind kind
	line int // 1-based line of the fragment's text
	col  int
	// key is the normalised key or column the value sat under ("" in free
	// text); a repeated key starts a new record.
	key    string
	val    string
	strong bool // identifies a person without anything else
	conf   finding.Confidence
}

// cell is a value with the key, column or tag it belongs to.
type cell struct {
	key string
	val string
	off int
}

// scanner holds the state of one Detect call.
type scanner struct {
	text    string
	lines   []string // of text
	hits    []hit
	now     time.Time
	phones  *rejectedPhones
	csvCols []string
	delim   byte
	sqlCols []string
	// csvHeaderLine is the index of the header in lines, or -1.
	csvHeaderLine int
	inSQL         bool
	// nhsFile reports whether the text mentions the NHS.
	nhsFile func() bool
	// code is set for source files, where a bare address in a string or
	// comment is usually an author, a protocol name or a test value.
	code bool
	// lowLine (1-based, 0 for empty) and lowText cache lower-cased lines.
	lowLine   [2]int
	lowText   [2]string
	lowNext   int
	kindCache map[string]kind
	cellBuf   []cell
	// data is set for data files (logs, exports, dumps, mail), where
	// "Name <address>" is a correspondent rather than an author.
	data bool
	// dobFile is set when the text mentions birth dates, whose values
	// ("14 March 1985") do not pass the digit pre-filter.
	dobFile bool
	// noEmail is set for files that list people\'s contacts on purpose.
	noEmail bool
	keyed   []bool // lines whose keyed cells were already read
	// nextCand is the offset in text of the next byte that makes its line
	// a candidate, searched for again once the lines reach past it.
	nextCand int
}

// windowLines is how far from a datum a name, health detail or user id may
// sit and still belong to the same record (a JSON or YAML object).
const windowLines = 4

func (s *scanner) run() {
	anchors := make([]bool, len(s.lines))
	s.keyed = make([]bool, len(s.lines))
	s.nextCand = -1
	start := 0 // of line i in text
	for i, line := range s.lines {
		end := start + len(line)
		dobLine := s.dobFile && hasAnyFold(line, dobKeyWords)
		if s.sqlState(line) || s.csvRow(i) || s.candidate(start, end) || dobLine {
			before := len(s.hits)
			s.readKeyed(i)
			s.readFree(i, line)
			if dobLine {
				s.freeWordDate(i, line)
			}
			anchors[i] = len(s.hits) > before
		}
		start = end + 1
	}
	for i, a := range anchors {
		if !a {
			continue
		}
		s.readNames(i, s.lines[i])
		lo, hi := max(0, i-windowLines), min(len(s.lines)-1, i+windowLines)
		for j := lo; j <= hi; j++ {
			s.readKeyed(j)
			s.readHealthWords(j, s.lines[j])
		}
	}
}

var dobKeyWords = []string{"birth", "dob", "born"}

// dobFileWords are the spellings that make a text one about birth dates.
var dobFileWords = wordSet{newWordGroup('b', "birth", "dob", "Dob", "born"), newWordGroup('B', "Birth", "DOB")}

// freeWordDate finds a birth date written with a month name in free text
// ("born on 14 March 1985") on a line that talks about birth dates.
func (s *scanner) freeWordDate(i int, line string) {
	words := strings.Fields(line)
	for j := 0; j+3 <= len(words); j++ {
		if cand := strings.Join(words[j:j+3], " "); wordDate(strings.Trim(cand, ".,;:()\"'"), s.now) {
			col := strings.Index(line, words[j])
			s.add(hit{kind: kDOB, line: i + 1, col: col, val: cand, conf: finding.Medium})
			return
		}
	}
}

// candidate reports whether the line from start to end of the text passes
// nextCandidate; lines must come in order.
func (s *scanner) candidate(start, end int) bool {
	if s.nextCand < start {
		s.nextCand = nextCandidate(s.text, start)
	}
	return s.nextCand < end
}

// nextCandidate is the cheap pre-filter: a line is read closely only if
// it has an '@', a run of six or more digits (allowing separators), a
// dotted quad, an upper-case letter followed by digits, or a postcode's
// inward code. It returns the offset of the first byte at or after from
// that makes its line of text a candidate, or len(text). It runs over the
// whole text rather than line by line, as on lines of code and prose the
// work is skipping to a digit or '@', and a line end needs no special
// case: '\n' ends a run of digits, and every look around a byte stops at
// it.
func nextCandidate(text string, from int) int {
	digits, dots := 0, 0
	for i := from; i < len(text); i++ {
		if digits == 0 {
			// Outside a run of digits only a digit or an '@' matters.
			if i = nextDigitOrAt(text, i); i == len(text) {
				break
			}
		}
		c := text[i]
		switch {
		case isDigit(c):
			digits++
			if digits >= 6 || dots == 3 {
				return i
			}
			if i+2 < len(text) && i > 0 && text[i-1] == ' ' && isUpper(text[i+1]) && isUpper(text[i+2]) && (i+3 == len(text) || !isAlnum(text[i+3])) {
				return i
			}
		case c == '@':
			return i
		case (c == ' ' || c == '-' || c == '/' || c == '.') && digits > 0 && i+1 < len(text) && isDigit(text[i+1]):
			if c == '.' {
				dots++
			}
		default:
			digits, dots = 0, 0
		}
	}
	return len(text)
}

// nextDigitOrAt returns the index of the first digit or '@' in s from i
// on, or len(s). Skipping to one is most of nextCandidate's work, so it
// tests eight bytes at a time for one in the range '0' (0x30) to '@'
// (0x40), as one 64-bit word in little-endian order: with l the low seven
// bits of a byte, 0xc0-l has its top bit set when l <= 0x40 and l+0x50 when
// l >= 0x30, neither borrowing from nor carrying into the next byte, and
// bytes from 0x80 up are masked out; the lowest top bit left is the first
// such byte.
func nextDigitOrAt(s string, i int) int {
	const ones = 0x0101010101010101
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 | uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		l := x & (ones * 0x7f)
		if m := (ones*0xc0 - l) & (l + ones*0x50) &^ x & (ones * 0x80); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for i < len(s) && s[i]-'0' > '@'-'0' {
		i++
	}
	return i
}

// sqlState follows INSERT statements so that tuple values can be mapped to
// their column names; it reports whether line is part of one.
func (s *scanner) sqlState(line string) bool {
	if !s.inSQL && !mayStartInsert(line) {
		return false
	}
	t := strings.TrimSpace(line)
	if len(t) > 11 && strings.EqualFold(t[:11], "INSERT INTO") {
		s.inSQL = true
		s.sqlCols = nil
		if open := strings.IndexByte(t, '('); open > 0 {
			v := indexFold(t, "VALUES")
			if v < 0 || open < v {
				if cl := strings.IndexByte(t[open:], ')'); cl > 0 {
					for _, c := range strings.Split(t[open+1:open+cl], ",") {
						s.sqlCols = append(s.sqlCols, normKey(c))
					}
				}
			}
		}
	} else if !s.inSQL {
		return false
	}
	if strings.HasSuffix(t, ";") {
		defer func() { s.inSQL = false }()
	}
	return true
}

// mayStartInsert reports whether line, once trimmed, may start with
// "INSERT INTO", judging by its first byte that is not ASCII white space:
// an I, or the start of a character strings.TrimSpace might also trim.
// It spares trimming every line of a file.
func mayStartInsert(line string) bool {
	for i := 0; i < len(line); i++ {
		switch c := line[i]; c {
		case ' ', '\t', '\n', '\v', '\f', '\r':
		default:
			return c == 'I' || c == 'i' || c >= utf8.RuneSelf
		}
	}
	return false
}

// readKeyed reads the values of line i that sit under a key, a CSV column
// or an SQL column, and records those whose key names a personal datum.
func (s *scanner) readKeyed(i int) {
	if s.keyed[i] {
		return
	}
	s.keyed[i] = true
	line := s.lines[i]
	cells := s.cellBuf[:0]
	switch {
	case s.csvRow(i):
		cells = s.csvCells(line)
	case s.sqlCols != nil && (strings.HasPrefix(strings.TrimSpace(line), "(") || indexFold(line, "values") >= 0):
		cells = s.sqlCells(line)
	}
	cells = s.keyValues(cells, line)
	for _, c := range cells {
		if k := s.kindOf(c.key); k != "" {
			s.keyedValue(i, c, k)
		}
	}
	s.cellBuf = cells[:0]
}

// kindOf is keyKind cached per raw key: logs and fixtures repeat the same
// few keys on every line.
func (s *scanner) kindOf(key string) kind {
	k, ok := s.kindCache[key]
	if !ok {
		k = keyKind(key)
		if s.kindCache == nil {
			s.kindCache = map[string]kind{}
		}
		s.kindCache[key] = k
	}
	return k
}

func (s *scanner) keyedValue(i int, c cell, k kind) {
	v := strings.TrimSpace(c.val)
	if v == "" || len(v) > 200 || nullish(v) {
		return
	}
	key := normKey(c.key)
	add := func(k kind, val string, strong bool, conf finding.Confidence) {
		s.add(hit{kind: k, line: i + 1, col: c.off, key: key, val: val, strong: strong, conf: conf})
	}
	d := digitsOf(v)
	numeric := onlyNumberChars(v)
	switch k {
	case kName:
		if looksLikeName(v, key == "name" || key == "patient" || key == "customer" || key == "employee") {
			add(kName, v, false, finding.Low)
		}
	case kDOB:
		// Birth dates carry no time of day; a timestamp is something else.
		if !strings.Contains(v, ":") && (birthDate(firstField(v), s.now) || wordDate(v, s.now)) {
			add(kDOB, v, false, finding.Medium)
		}
	case kEmail:
		if !s.noEmail && personalEmail(v) && !s.attributionNear(i) {
			add(kEmail, strings.ToLower(v), !s.code, finding.High)
		}
	case kPhone:
		if numeric && len(d) >= 10 && len(d) <= 13 && s.phones.ukPhone(v) {
			add(kPhone, d, mobile(d), finding.High)
		}
	case kNHS:
		if numeric && validNHS(d) {
			add(kNHS, d, true, finding.High)
		}
	case kNINO:
		if n := strings.ToUpper(strings.ReplaceAll(v, " ", "")); validNINO(n) {
			add(kNINO, n, true, finding.High)
		}
	case kUTR:
		if numeric && validUTR(d) {
			add(kUTR, d, true, finding.High)
		}
	case kVAT:
		u := strings.TrimPrefix(strings.ToUpper(v), "GB")
		if onlyNumberChars(u) && validVAT(digitsOf(u)) {
			add(kVAT, d, true, finding.High)
		}
	case kPassport:
		if numeric && len(d) == 9 && !placeholderDigits(d) {
			add(kPassport, d, true, finding.Medium)
		}
	case kLicence:
		if n := strings.ToUpper(strings.ReplaceAll(v, " ", "")); validLicence(n) {
			add(kLicence, n, true, finding.High)
		}
	case kSortCode:
		if numeric && len(d) == 6 && !placeholderDigits(d) {
			add(kSortCode, d, false, finding.Medium)
		}
	case kAccount:
		if numeric && len(d) == 8 && !placeholderDigits(d) {
			add(kAccount, d, false, finding.Medium)
		}
	case kCard:
		if numeric && validCard(d) {
			add(kCard, d, true, finding.High)
		}
	case kIBAN:
		if n := strings.ToUpper(strings.ReplaceAll(v, " ", "")); validIBAN(n) {
			add(kIBAN, n, true, finding.High)
		}
	case kAddress:
		if containsPostcode(v) {
			add(kAddress, v, false, finding.Low)
		}
	case kIP:
		if personIP(v) {
			add(kIP, v, false, finding.Low)
		}
	case kUser:
		// A patient identifier that passes the NHS number's checks is one.
		if numeric && strings.Contains(key, "patient") && validNHS(d) {
			add(kNHS, d, true, finding.High)
			return
		}
		add(kUser, v, false, finding.Low)
	case kHealth:
		if hasLetters(v) {
			add(kHealth, v, false, finding.Medium)
		}
	}
}

// readFree finds validated identifiers in free text, using words on the
// line and the line before as context for short or checksum-less values.
func (s *scanner) readFree(i int, line string) {
	for p := 0; p < len(line); p++ {
		c := line[p]
		switch {
		case c == '@':
			s.freeEmail(i, line, p)
		case (isDigit(c) || c == '+' && p+1 < len(line) && isDigit(line[p+1])) && (p == 0 || boundary(line[p-1])):
			p = s.freeNumber(i, line, p) - 1
		case isUpper(c) && (p == 0 || boundary(line[p-1])) && p+2 < len(line):
			s.freeUpper(i, line, p)
		}
	}
}

// boundary is a character that may precede a value: not part of a word,
// a version ("v1.2") or a decimal.
func boundary(c byte) bool {
	return !isAlnum(c) && c != '.' && c != '_' && c != '-' && c != '/' && c != '+' && c != '#' && c != '$' && c != '%'
}

// context reports whether words saying what kind k is appear near col on
// line i or at the end of the line before (a label above a value).
func (s *scanner) context(i, col int, k kind) bool {
	low := s.lower(i)
	if containsAny(low[max(0, col-contextReach):min(len(low), col+contextReach/2)], contextWords[k]) {
		return true
	}
	return i > 0 && col < contextReach && containsAny(tail(s.lower(i-1)), contextWords[k])
}

// lower returns line i in lower case, caching the last two lines asked for
// since values are checked line by line against this line and the last.
func (s *scanner) lower(i int) string {
	for j := range s.lowLine {
		if s.lowLine[j] == i+1 {
			return s.lowText[j]
		}
	}
	s.lowNext ^= 1
	s.lowLine[s.lowNext], s.lowText[s.lowNext] = i+1, strings.ToLower(s.lines[i])
	return s.lowText[s.lowNext]
}

// containsAny reports whether any of the words occurs in s as a word: not
// inside another word ("pan" in "company", "vat" in "private"), though
// words of five letters or more may take a suffix ("payments").
func containsAny(s string, words []string) bool {
	for _, w := range words {
		for off := 0; ; {
			j := strings.Index(s[off:], w)
			if j < 0 {
				break
			}
			j += off
			end := j + len(w)
			if (j == 0 || !isLower(s[j-1])) && (end == len(s) || !isLower(s[end]) || len(w) >= 5 || s[end] == 's') {
				return true
			}
			off = j + 1
		}
	}
	return false
}

// contextReach bounds how far from a value its context may be, which also
// keeps the work per value constant on very long lines (minified files).
const contextReach = 100

func around(line string, col int) string {
	return line[max(0, col-contextReach):min(len(line), col+contextReach/2)]
}

func tail(line string) string { return line[max(0, len(line)-2*contextReach):] }

// freeNumber reads a run of digit groups starting at p and tries the
// number kinds on each span of groups, longest first. It returns the end.
func (s *scanner) freeNumber(i int, line string, p int) int {
	type group struct{ start, end int }
	var groupBuf [8]group
	var sepBuf [8]byte
	groups, seps := groupBuf[:0], sepBuf[:0]
	q := p
	if line[q] == '+' {
		q++
	}
	for len(groups) < 8 {
		st := q
		for q < len(line) && isDigit(line[q]) {
			q++
		}
		groups = append(groups, group{st, q})
		if timeFollows(line, q) {
			// A date followed by a time of day is a timestamp.
			return q
		}
		if q+1 < len(line) && strings.IndexByte(" -./", line[q]) >= 0 && isDigit(line[q+1]) {
			seps = append(seps, line[q])
			q++
			continue
		}
		break
	}
	end := q
	if end < len(line) && (isAlpha(line[end]) || line[end] == '_') {
		return end
	}
	if ip := line[p:end]; strings.Count(ip, ".") == 3 && len(groups) == 4 && !strings.ContainsAny(ip, " -/") {
		if personIP(ip) && !strings.Contains(around(s.lower(i), p), "version") {
			s.add(hit{kind: kIP, line: i + 1, col: p, val: ip, conf: finding.Low})
		}
		return end
	}
	for a := 0; a < len(groups); {
		matched := false
		for b := len(groups) - 1; b >= a; b-- {
			st, en := groups[a].start, groups[b].end
			if a == 0 {
				st = p
			}
			if s.tryNumber(i, line, line[st:en], seps[a:b], st) {
				a, matched = b+1, true
				break
			}
		}
		if !matched {
			a++
		}
	}
	return end
}

// tryNumber decides what one span of digit groups is, if anything.
func (s *scanner) tryNumber(i int, line, raw string, seps []byte, col int) bool {
	n := 0
	for j := 0; j < len(raw); j++ {
		if isDigit(raw[j]) {
			n++
		}
	}
	if n < 6 || n == 7 || n > 19 {
		return false
	}
	d := digitsOf(raw)
	sameSep := true
	for _, c := range seps {
		if c != seps[0] {
			sameSep = false
		}
	}
	spaced := len(seps) > 0 && sameSep && (seps[0] == ' ' || seps[0] == '-')
	add := func(k kind, strong bool, conf finding.Confidence) bool {
		s.add(hit{kind: k, line: i + 1, col: col, val: d, strong: strong, conf: conf})
		return true
	}
	if len(seps) > 0 && sameSep && (seps[0] == '/' || seps[0] == '-' || seps[0] == '.') && len(seps) == 2 {
		if s.context(i, col, kDOB) && birthDate(raw, s.now) {
			return add(kDOB, false, finding.Medium)
		}
		if seps[0] != '-' {
			return false
		}
	}
	if bytes.ContainsAny(seps, "./") {
		return false
	}
	intl := raw[0] == '+' || strings.HasPrefix(d, "0044") && len(d) >= 13
	switch {
	case n == 10 && validNHS(d) && !containsAny(around(s.lower(i), col), chiWords) && (s.context(i, col, kNHS) || s.nhsFile() && (len(seps) == 0 || len(seps) == 2 && groupSizes(raw, 3, 3, 4))):
		return add(kNHS, true, confOf(s.context(i, col, kNHS)))
	case n == 10 && validUTR(d) && s.context(i, col, kUTR):
		return add(kUTR, true, finding.High)
	case (n == 10 || n == 11) && d[0] == '0' || intl && n >= 12 && n <= 14:
		// The byte checks first: context reads the words around the number.
		if ukPersonalLead(raw) && (spaced || intl || s.context(i, col, kPhone)) && s.phones.ukPhone(raw) {
			strong := s.context(i, col, kPhone) && mobile(d) && !hasAnyFold(around(line, col), orgWords)
			return add(kPhone, strong, finding.Medium)
		}
	case n >= 13 && n <= 19 && validCard(d) && (s.context(i, col, kCard) || spaced && cardGroups(raw)):
		return add(kCard, true, confOf(s.context(i, col, kCard)))
	case (n == 9 || n == 12) && validVAT(d) && s.context(i, col, kVAT):
		return add(kVAT, true, finding.Medium)
	case n == 9 && !placeholderDigits(d) && s.context(i, col, kPassport):
		return add(kPassport, true, finding.Medium)
	case n == 6 && len(seps) == 2 && !placeholderDigits(d) && s.context(i, col, kSortCode):
		return add(kSortCode, false, finding.Medium)
	case n == 8 && len(seps) == 0 && !placeholderDigits(d) && s.context(i, col, kAccount):
		return add(kAccount, false, finding.Medium)
	}
	return false
}

// chiWords name Scotland's Community Health Index number, which shares the
// NHS number's check digit but is a different identifier.
var chiWords = []string{"chi"}

// timeFollows reports " 10:" or "T10:" at q, the time part of a timestamp.
func timeFollows(line string, q int) bool {
	return q+3 < len(line) && (line[q] == ' ' || line[q] == 'T') && isDigit(line[q+1]) && isDigit(line[q+2]) && line[q+3] == ':'
}

// mobile reports a UK mobile number (07, +44 7, 0044 7). Landlines are
// mostly businesses' and count only next to a person's name.
func mobile(d string) bool {
	d = strings.TrimPrefix(strings.TrimPrefix(d, "00"), "44")
	return strings.HasPrefix(d, "07") || strings.HasPrefix(d, "7")
}

// orgWords mark a line as an organisation's contact details.
var orgWords = []string{" ltd", "limited", " plc", " llp", " inc", "council", "trust", "university", "office", "reception", "switchboard", "helpline"}

func confOf(ctx bool) finding.Confidence {
	if ctx {
		return finding.High
	}
	return finding.Medium
}

// groupSizes reports whether raw's digit groups have exactly these sizes.
func groupSizes(raw string, sizes ...int) bool {
	g := strings.FieldsFunc(raw, func(r rune) bool { return r < '0' || r > '9' })
	if len(g) != len(sizes) {
		return false
	}
	for i, x := range g {
		if len(x) != sizes[i] {
			return false
		}
	}
	return true
}

// cardGroups accepts the layouts cards are printed in.
func cardGroups(raw string) bool {
	return groupSizes(raw, 4, 4, 4, 4) || groupSizes(raw, 4, 6, 5) || groupSizes(raw, 4, 6, 4) || groupSizes(raw, 4, 4, 4, 4, 3)
}

// freeUpper tries the identifiers that start with capital letters: NINO,
// IBAN, VAT with its GB prefix, driving licence and postcode.
func (s *scanner) freeUpper(i int, line string, p int) {
	// Collect the token allowing single spaces, as these are often grouped.
	q := p
	var b []byte
	for q < len(line) && len(b) < 34 {
		c := line[q]
		if isAlnumUpper(c) {
			b = append(b, c)
			q++
			continue
		}
		if c == ' ' && q+1 < len(line) && isAlnumUpper(line[q+1]) {
			q++
			continue
		}
		break
	}
	if len(b) < 5 || q < len(line) && (isLower(line[q]) || line[q] == '_') {
		return
	}
	tok := string(b)
	add := func(k kind, val string, strong bool, conf finding.Confidence) {
		s.add(hit{kind: k, line: i + 1, col: p, val: val, strong: strong, conf: conf})
	}
	if n := len(tok); n >= 15 && isDigit(tok[2]) && isDigit(tok[3]) {
		if l := ibanLengths[tok[:2]]; l > 0 && l <= n && validIBAN(tok[:l]) {
			add(kIBAN, tok[:l], true, confOf(s.context(i, p, kIBAN)))
			return
		}
	}
	for _, l := range []int{9, 8} {
		if len(tok) >= l && validNINO(tok[:l]) && (len(tok) == l || l == 9 || !isAlnumUpper(tok[l])) {
			// An unspaced token must end where the NINO ends.
			if !strings.Contains(line[p:q], " ") && len(tok) != l {
				continue
			}
			if l == 8 && !s.context(i, p, kNINO) {
				continue
			}
			add(kNINO, tok[:l], true, confOf(s.context(i, p, kNINO)))
			return
		}
	}
	if strings.HasPrefix(tok, "GB") && (len(tok) == 11 || len(tok) == 14) && onlyNumberChars(tok[2:]) && validVAT(tok[2:]) {
		add(kVAT, tok, true, confOf(s.context(i, p, kVAT)))
		return
	}
	if len(tok) >= 16 && validLicence(tok[:16]) && s.context(i, p, kLicence) {
		add(kLicence, tok[:16], true, finding.High)
		return
	}
	for _, l := range []int{5, 6, 7} {
		if len(tok) >= l && validPostcode(tok[:l]) && strings.Contains(line[p:q], " ") && addressCue(around(line, p)) {
			add(kAddress, tok[:l], false, finding.Low)
			return
		}
	}
}

// addressCue reports whether a line reads like a postal address.
func addressCue(line string) bool {
	return strings.Count(line, ",") >= 2 || hasAnyFold(line, streetWords)
}

var streetWords = []string{" road", " street", " lane", " avenue", " close", " drive", " way", " court", " place",
	" crescent", " gardens", " terrace", " square", " grove", " park", " row", " walk", " mews", " rd", " st,", " ave",
	"address"}

// containsPostcode reports whether an address value ends in, or is, a
// valid UK postcode.
func containsPostcode(v string) bool {
	f := strings.Fields(strings.ToUpper(strings.TrimRight(v, " ,.")))
	switch {
	case len(f) >= 2 && validPostcode(f[len(f)-2]+f[len(f)-1]):
		return true
	case len(f) >= 1:
		return validPostcode(f[len(f)-1])
	}
	return false
}

// freeEmail reads the address around the '@' at p.
func (s *scanner) freeEmail(i int, line string, p int) {
	a := p
	for a > 0 && emailLocal(line[a-1]) {
		a--
	}
	z := p + 1
	for z < len(line) && (isAlnum(line[z]) || line[z] == '.' || line[z] == '-') {
		z++
	}
	addr := strings.TrimRight(line[a:z], ".-")
	if s.noEmail || a == p || len(addr) < 6 {
		return
	}
	// "Name <address>" outside data files is a git identity (authors,
	// changelogs, reflogs); user:password@host is a URL, not a mailbox.
	if a > 0 && (!s.data && line[a-1] == '<' && z < len(line) && line[z] == '>' || line[a-1] == ':' || line[a-1] == '/') {
		return
	}
	if s.code && commentLine(line) || !personalEmail(addr) {
		return
	}
	// The words around the address and the lines above cost the most to
	// read, so they come last.
	if low := around(s.lower(i), a); containsAny(low, attributionWords) || containsAny(low, exampleWords) ||
		s.attributionNear(i) || hexDump(line) || docKey(line) {
		return
	}
	s.add(hit{kind: kEmail, line: i + 1, col: a, val: strings.ToLower(addr), strong: !s.code, conf: finding.Medium})
}

// attributionNear reports an "authors", "maintainers" or similar key just
// above line i: package metadata listing the people behind a project.
func (s *scanner) attributionNear(i int) bool {
	for j := max(0, i-windowLines-2); j < i; j++ {
		if hasAnyFold(tail(s.lines[j]), attributionKeys) {
			return true
		}
	}
	return false
}

var attributionKeys = []string{"author", "maintainer", "contributor", "owner", "packager", "developers"}

// exampleWords introduce addresses given as examples in documentation.
var exampleWords = []string{"example", "e.g.", "such as", "for instance", "placeholder", "sample", "\"description\"", "format:"}

// docKey reports a line that is the value of a documentation field
// ("description": "...", help: ...), where addresses are illustrations.
func docKey(line string) bool {
	t := strings.TrimLeft(line, " \t\"'-")
	for _, k := range []string{"description", "summary", "help", "comment", "example", "title", "doc", "note", "usage"} {
		if len(t) >= len(k) && strings.EqualFold(t[:len(k)], k) {
			return true
		}
	}
	return false
}

// hexDump recognises "00000010  6f 70 65 6e ...  |open|" lines, whose text
// column cuts words at random.
func hexDump(line string) bool {
	pairs := 0
	line = line[:min(len(line), 80)]
	for i := 0; i+2 < len(line) && pairs < 8; i++ {
		if line[i] == ' ' && isHex(line[i+1]) && i+3 < len(line) && isHex(line[i+2]) && line[i+3] == ' ' {
			pairs++
		}
	}
	return pairs >= 8
}

func isHex(c byte) bool { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func commentLine(line string) bool {
	t := strings.TrimLeft(line, " \t")
	for _, p := range []string{"//", "#", "/*", "*", "--", ";"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

func emailLocal(c byte) bool {
	return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

// personalEmail accepts addresses that could be a person's: a real domain
// (not reserved or placeholder), not a role mailbox.
func personalEmail(v string) bool {
	at := strings.IndexByte(v, '@')
	if at <= 0 || strings.Count(v, "@") != 1 {
		return false
	}
	local, domain := strings.ToLower(v[:at]), strings.ToLower(v[at+1:])
	for i := 0; i < len(local); i++ {
		if !emailLocal(local[i]) {
			return false
		}
	}
	dot := strings.LastIndexByte(domain, '.')
	if dot <= 0 || strings.Contains(domain, "..") {
		return false
	}
	tld := domain[dot+1:]
	for i := 0; i < len(tld); i++ {
		if !isLower(tld[i]) {
			return false
		}
	}
	if !(commonTLDs[tld] || len(tld) == 2 && !notCountryTLDs[tld]) {
		return false
	}
	if placeholderDomains[domain] || reservedDomain(domain) || strings.HasPrefix(domain, "acme.") || strings.HasSuffix(domain, "gserviceaccount.com") ||
		strings.HasPrefix(domain, "lists.") || strings.HasPrefix(domain, "groups.") || domain == "googlegroups.com" {
		return false
	}
	base := local
	if j := strings.IndexByte(base, '+'); j > 0 {
		base = base[:j]
	}
	if roleLocalParts[base] || len(base) < 2 || strings.ContainsAny(base[:1], "0123456789") && placeholderDigits(digitsOf(base)) {
		return false
	}
	return !strings.Contains(base, "noreply") && !strings.Contains(base, "no-reply") && !strings.HasSuffix(base, "bot")
}

// reservedDomain covers RFC 2606 and RFC 6761 names.
func reservedDomain(d string) bool {
	for _, t := range []string{".test", ".example", ".invalid", ".localhost", ".local", ".internal", ".lan", ".corp", ".home.arpa"} {
		if strings.HasSuffix(d, t) {
			return true
		}
	}
	first := d[:strings.IndexByte(d, '.')]
	if first == "example" || strings.HasSuffix(d, ".example.com") || strings.HasSuffix(d, ".example.org") || strings.HasSuffix(d, ".example.net") {
		return true
	}
	return false
}

// personIP accepts an address that can identify a person: any unicast
// address outside the documentation ranges of RFC 5737 and RFC 3849.
// Private and loopback addresses count only because callers require a tie
// to a person in the same record.
func personIP(v string) bool {
	a, err := netip.ParseAddr(strings.TrimSpace(v))
	if err != nil || a.IsUnspecified() || a.IsMulticast() || a.IsLoopback() {
		return false
	}
	for _, p := range docPrefixes {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

var docPrefixes = []netip.Prefix{
	netip.MustParsePrefix("192.0.2.0/24"), netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"), netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("0.0.0.0/8"), netip.MustParsePrefix("255.255.255.255/32"),
}

// readNames finds a person's name in free text on a line that holds other
// personal data: a title or a common first name followed by a surname.
func (s *scanner) readNames(i int, line string) {
	for p := 0; p < len(line); p++ {
		if !isUpper(line[p]) || p > 0 && isAlnum(line[p-1]) {
			continue
		}
		w := word(line, p)
		next := p + len(w) + 1
		w = strings.TrimSuffix(w, ".")
		if next >= len(line) || !isUpper(line[next]) {
			continue
		}
		sur := word(line, next)
		title := w == "Mr" || w == "Mrs" || w == "Ms" || w == "Miss" || w == "Dr" || w == "Mx"
		known := title || firstNames[w] && !nameStopWords[w]
		if !known {
			sur = strings.TrimSuffix(sur, ".")
			end := next + len(sur)
			known = properName(w) && properName(sur) &&
				(strings.HasPrefix(line[end:], " (") || strings.HasPrefix(line[end:], " <") || personCue(s.lower(i)[max(0, p-24):p])) &&
				!hasAnyFold(line, orgWords)
		}
		if known && len(sur) >= 2 && !nameStopWords[sur] && isNameWord(sur) {
			s.add(hit{kind: kName, line: i + 1, col: p, val: w + " " + sur, conf: finding.Low})
			p = next + len(sur)
		}
	}
}

// properName accepts a capitalised word that may be part of a name: not in
// capitals, not a word that starts sentences, places or organisations.
func properName(w string) bool {
	return len(w) >= 2 && isUpper(w[0]) && isLower(w[len(w)-1]) && isNameWord(w) && !nameStopWords[w] && !notNameWords[w]
}

// personCue reports text that ends with a word introducing a person
// ("Customer", "Patient:", "Deliver to"), given in lower case.
func personCue(before string) bool {
	before = strings.TrimRight(before, " \t:,-(")
	for _, c := range personCues {
		if strings.HasSuffix(before, c) && (len(before) == len(c) || !isAlpha(before[len(before)-len(c)-1])) {
			return true
		}
	}
	return false
}

var personCues = []string{"patient", "customer", "client", "caller", "driver", "employee", "member", "applicant",
	"claimant", "tenant", "resident", "pupil", "student", "passenger", "deliver to", "ship to", "send to", "name",
	"account of", "affected", "complainant", "dear", "holder", "candidate", "victim", "witness", "parent", "guardian",
	"next of kin", "contact", "user", "colleague", "staff member", "subject", "mother", "father", "son", "daughter",
	"wife", "husband", "partner", "spoke to", "called", "named", "attn", "recipient", "policyholder", "borrower"}

// notNameWords are capitalised words that pair with another to look like a
// name but name a place, an organisation, a date or a field.
var notNameWords = setOf(strings.Fields(`The This That These Those There Then When Where What Which While Please Our Your
	Their His Her Its New Old North South East West Upper Lower Great Little Saint St January February March April
	June July August September October November December Monday Tuesday Wednesday Thursday Friday Saturday Sunday
	Team Support Services Service Energy Group Ltd Limited Bank Council Hospital Surgery Centre Center House Road
	Avenue Park Row Office Department Ministry University College School Trust Company Health Care Clinic Practice
	Account Accounts Order Orders Ticket Incident Email Phone Mobile Address Date Birth Number Reference Home Street
	Lane Close Drive Way Court Place Square Green Hill Gardens Terrace Crescent Grove Mews Walk View Building Floor
	Suite Unit Estate Centre Station Airport Church Chapel Hall Farm Manor Lodge Cottage Mill Bridge Cross Gate
	Kingdom England Scotland Wales Ireland Britain London Leeds Manchester Bristol Cardiff Glasgow Edinburgh
	Birmingham Liverpool Sheffield Newcastle Nottingham Norwich York Oxford Cambridge Data Protection Privacy Policy
	Security Systems Solutions Digital Technology Technologies Software Cloud Platform Network Networks Media Medical
	Insurance Finance Financial Capital Holdings International Global National Regional Local Public Private
	Express Mail Post Royal Direct Online Web App Api Server Client Admin Manager Director Officer Head Chief`)...)

func word(s string, p int) string {
	q := p
	for q < len(s) && (isAlpha(s[q]) || s[q] == '\'' || s[q] == '-' || s[q] == '.') {
		q++
	}
	return s[p:q]
}

func isNameWord(w string) bool {
	if len(w) < 2 || !isUpper(w[0]) {
		return false
	}
	lower := 0
	for i := 1; i < len(w); i++ {
		switch c := w[i]; {
		case isLower(c):
			lower++
		case isUpper(c), c == '\'', c == '-':
		default:
			return false
		}
	}
	return lower > 0 || len(w) <= 12
}

// looksLikeName accepts one to four capitalised words; a generic "name"
// key needs at least two, as it also names packages, jobs and hosts.
func looksLikeName(v string, generic bool) bool {
	v = strings.Trim(v, "\"' ")
	ws := strings.Fields(v)
	if len(ws) == 0 || len(ws) > 4 || generic && len(ws) < 2 {
		return false
	}
	if strings.EqualFold(v, "john doe") || strings.EqualFold(v, "jane doe") || strings.EqualFold(v, "joe bloggs") {
		return false
	}
	for _, w := range ws {
		w = strings.TrimSuffix(w, ".")
		if !isNameWord(w) || nameStopWords[w] || strings.ToUpper(w) == w && len(w) > 1 && generic {
			return false
		}
	}
	return true
}

// readHealthWords marks lines near personal data that describe health.
func (s *scanner) readHealthWords(i int, line string) {
	if hasAnyFold(line, healthWords) {
		s.add(hit{kind: kHealth, line: i + 1, col: 0, val: "", conf: finding.Low})
	}
}

func (s *scanner) add(h hit) {
	for j := len(s.hits) - 1; j >= max(0, len(s.hits)-8) && s.hits[j].line == h.line; j-- {
		if o := s.hits[j]; o.kind == h.kind && (o.col == h.col || o.val == h.val) {
			return
		}
	}
	s.hits = append(s.hits, h)
}

// keyValues appends to out the key/value pairs of a line of JSON, YAML, a
// log, a query string, keyword arguments or XML whose key names a kind of
// personal data; other values are not even read.
func (s *scanner) keyValues(out []cell, line string) []cell {
	for p := 0; p < len(line); p++ {
		c := line[p]
		if c != ':' && c != '=' && c != '>' {
			continue
		}
		if c == '>' && (p == 0 || line[p-1] == '=' || line[p-1] == '-') {
			continue
		}
		key, ok := keyBefore(line, p, c == '>')
		if !ok || s.kindOf(key) == "" {
			continue
		}
		q := p + 1
		if q < len(line) && (line[q] == '>' || line[q] == '=') {
			q++
		}
		for q < len(line) && (line[q] == ' ' || line[q] == '\t') {
			q++
		}
		if q+1 < len(line) && line[q] == '/' && line[q+1] == '/' {
			continue
		}
		val, off := valueAt(line, q, c)
		if val != "" {
			out = append(out, cell{key: key, val: val, off: off})
		}
	}
	return out
}

// keyBefore reads the identifier before the separator at p.
func keyBefore(line string, p int, tag bool) (string, bool) {
	e := p
	if tag {
		// <key attr="...">value
		st := strings.LastIndexByte(line[max(0, p-60):p], '<')
		if st >= 0 {
			st += max(0, p-60)
		}
		if st < 0 || st+1 >= p || line[st+1] == '/' {
			return "", false
		}
		k := line[st+1 : p]
		if sp := strings.IndexAny(k, " \t"); sp >= 0 {
			k = k[:sp]
		}
		return k, k != ""
	}
	for e > 0 && (line[e-1] == ' ' || line[e-1] == '"' || line[e-1] == '\'') {
		e--
	}
	b := e
	for b > 0 && e-b <= 40 && (isAlnum(line[b-1]) || line[b-1] == '_' || line[b-1] == '-' || line[b-1] == '.') {
		b--
	}
	if b == e || !isAlpha(line[b]) || e-b > 40 {
		return "", false
	}
	if dot := strings.LastIndexByte(line[b:e], '.'); dot >= 0 {
		b += dot + 1
	}
	return line[b:e], b < e
}

// valueAt reads a quoted or bare value starting at q.
func valueAt(line string, q int, sep byte) (string, int) {
	if q >= len(line) {
		return "", q
	}
	if c := line[q]; c == '"' || c == '\'' {
		e := strings.IndexByte(line[q+1:], c)
		if e < 0 {
			return line[q+1:], q + 1
		}
		return line[q+1 : q+1+e], q + 1
	}
	stop := ",;}]&<|\t"
	if sep == '=' {
		stop += " )"
	}
	e := strings.IndexAny(line[q:], stop)
	if e < 0 {
		e = len(line) - q
	}
	return strings.TrimSpace(line[q : q+e]), q
}

// csvHeader recognises a header row naming at least one personal column.
func csvHeader(line string) ([]string, byte) {
	best, n := byte(0), 0
	for _, d := range []byte{',', '\t', ';', '|'} {
		if c := strings.Count(line, string(d)); c > n {
			best, n = d, c
		}
	}
	if n == 0 {
		return nil, 0
	}
	cells := splitCells(line, best)
	names := make([]string, len(cells))
	hits := 0
	for i, c := range cells {
		names[i] = normKey(c.val)
		if strings.Contains(c.val, "@") || onlyNumberChars(c.val) {
			return nil, 0
		}
		if keyKind(c.val) != "" {
			hits++
		}
	}
	if hits == 0 {
		return nil, 0
	}
	return names, best
}

func (s *scanner) csvRow(i int) bool { return s.csvCols != nil && i != s.csvHeaderLine }

func (s *scanner) csvCells(line string) []cell {
	cells := splitCells(line, s.delim)
	for j := range cells {
		if j < len(s.csvCols) {
			cells[j].key = s.csvCols[j]
		}
	}
	return cells
}

// sqlCells maps the values of each tuple on the line to the INSERT's
// column list (tuples may span lines only one per line).
func (s *scanner) sqlCells(line string) []cell {
	if s.sqlCols == nil {
		return nil
	}
	var out []cell
	for p := 0; p < len(line); {
		o := strings.IndexByte(line[p:], '(')
		if o < 0 {
			break
		}
		o += p
		cl := closingParen(line, o)
		for j, c := range splitCells(line[o+1:cl], ',') {
			if j < len(s.sqlCols) {
				c.key, c.off = s.sqlCols[j], c.off+o+1
				out = append(out, c)
			}
		}
		p = cl + 1
	}
	return out
}

func closingParen(line string, o int) int {
	var quote byte
	for i := o + 1; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == ')':
			return i
		}
	}
	return len(line)
}

// splitCells splits a delimited row, honouring quotes.
func splitCells(line string, delim byte) []cell {
	var out []cell
	start := 0
	var quote byte
	for i := 0; i <= len(line); i++ {
		if i < len(line) {
			c := line[i]
			if quote != 0 {
				if c == quote {
					quote = 0
				}
				continue
			}
			// A quote opens a quoted cell only at its start: inside a
			// value it is an apostrophe (O'Donnell).
			if (c == '"' || c == '\'') && strings.TrimLeft(line[start:i], " ") == "" {
				quote = c
				continue
			}
			if c != delim {
				continue
			}
		}
		v := strings.TrimSpace(line[start:i])
		off := start
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
			off++
		}
		out = append(out, cell{val: v, off: off})
		start = i + 1
	}
	return out
}

func onlyNumberChars(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !isDigit(c) && c != ' ' && c != '-' && c != '+' && c != '(' && c != ')' {
			return false
		}
	}
	return v != ""
}

func hasLetters(v string) bool {
	for i := 0; i < len(v); i++ {
		if isAlpha(v[i]) {
			return true
		}
	}
	return false
}

func nullish(v string) bool {
	switch strings.ToLower(v) {
	case "null", "none", "nil", "n/a", "na", "-", "false", "true", "0", "[]", "{}", "unknown", "undefined", "\\n", "redacted", "xxx":
		return true
	}
	return strings.HasPrefix(v, "${") || strings.HasPrefix(v, "{{") || strings.HasPrefix(v, "<") || strings.HasPrefix(v, "%(")
}

// firstField cuts a value at the first space (a time after a date).
func firstField(v string) string {
	if i := strings.IndexAny(v, " T"); i > 0 {
		return v[:i]
	}
	return v
}

// wordSet tells whether a long text holds any of a few words. Each group
// of words shares an anchor byte that is rare in code and prose, so that a
// single IndexByte pass per group finds them all; a search for each word
// would stop at every occurrence of its first byte, often a common one
// (about 1 in 60 bytes of the bench history is a 'd', 1 in 350 a 'B').
type wordSet []wordGroup

type wordGroup struct {
	anchor byte
	words  []string
	at     []int // where the anchor first occurs in each word
}

func newWordGroup(anchor byte, words ...string) wordGroup {
	g := wordGroup{anchor: anchor, words: words}
	for _, w := range words {
		at := strings.IndexByte(w, anchor)
		if at < 0 {
			panic("pii: word " + w + " lacks its anchor " + string(anchor))
		}
		g.at = append(g.at, at)
	}
	return g
}

func (ws wordSet) in(text string) bool {
	for _, g := range ws {
		for from := 0; ; from++ {
			i := strings.IndexByte(text[from:], g.anchor)
			if i < 0 {
				break
			}
			from += i
			for j, w := range g.words {
				// Comparing the ends first turns most anchors away
				// before a full compare.
				start := from - g.at[j]
				end := start + len(w)
				if start >= 0 && end <= len(text) && text[start] == w[0] && text[end-1] == w[len(w)-1] && text[start:end] == w {
					return true
				}
			}
		}
	}
	return false
}

// hasAnyFold reports whether s contains any of the lower-case words,
// ignoring ASCII case, without allocating.
func hasAnyFold(s string, words []string) bool {
	for _, w := range words {
		if indexFold(s, w) >= 0 {
			return true
		}
	}
	return false
}

func indexFold(s, w string) int {
	if len(w) == 0 {
		return 0
	}
	f := w[0]
	if isUpper(f) {
		f += 32
	}
	for i := 0; i+len(w) <= len(s); i++ {
		c := s[i]
		if isUpper(c) {
			c += 32
		}
		if c != f {
			continue
		}
		j := 1
		for ; j < len(w); j++ {
			a, b := s[i+j], w[j]
			if isUpper(a) {
				a += 32
			}
			if isUpper(b) {
				b += 32
			}
			if a != b {
				break
			}
		}
		if j == len(w) {
			return i
		}
	}
	return -1
}
