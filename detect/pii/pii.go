// Package pii finds personal data and UK Government Security Classification
// markings (playbook category DE). Identifiers are validated (check digits,
// issuer and allocation rules, libphonenumber), short or checksum-less
// values need context (keys, CSV and SQL columns, nearby words), and a file
// holding many people's records is reported once as a bulk exposure.
package pii

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/detect"
	"github.com/aiguard/aiguard/finding"
)

// Detector is the personal and classified data detector. It keeps no state
// between fragments beyond a cache of rejected phone numbers, itself safe
// for concurrent use, so concurrent Detect calls are safe.
type Detector struct {
	bulk   int
	now    func() time.Time
	phones rejectedPhones
}

// New returns a detector configured by opts.
func New(opts config.PersonalData) *Detector {
	b := opts.BulkThreshold
	if b < 1 {
		b = 10
	}
	return &Detector{bulk: b, now: time.Now}
}

// Name implements detect.Detector.
func (d *Detector) Name() string { return "personal-data" }

// Detect implements detect.Detector.
func (d *Detector) Detect(ctx context.Context, frag *detect.Fragment) ([]finding.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []finding.Finding
	ext := strings.ToLower(path.Ext(frag.Path))
	mode := modeDoc
	if codeExts[ext] {
		mode = modeCode
	} else if configExts[ext] {
		mode = modeConfig
	}
	if m, line := findMarkings(frag.Text, mode, frag.FileLine, frag.AddedLines() == nil); m != noMarking {
		out = append(out, d.markingFinding(frag, m, line))
	}
	base := strings.ToLower(path.Base(frag.Path))
	if skipExts[ext] {
		return out, nil
	}
	lines := linePool.Get().(*[]string)
	defer func() {
		clear(*lines) // the pool must not keep texts alive
		linePool.Put(lines)
	}()
	*lines = splitLines((*lines)[:0], frag.Text)
	s := &scanner{text: frag.Text, lines: *lines, now: d.now(), phones: &d.phones, code: mode == modeCode,
		noEmail: attributionFiles[base] || attributionFiles[strings.TrimSuffix(base, ext)], data: dataExts[ext]}
	// Only a number that passes the NHS check asks, so most texts are never
	// searched.
	s.nhsFile = sync.OnceValue(func() bool { return strings.Contains(frag.Text, "NHS") || strings.Contains(frag.Text, "nhs") })
	s.dobFile = dobFileWords.in(frag.Text)
	s.setupCSV(frag, ext)
	s.run()
	if len(s.hits) == 0 {
		return out, nil
	}
	return append(out, d.recordFindings(frag, s.hits)...), nil
}

// linePool recycles the slices text is split into: a history scan splits
// millions of lines, and their slices were most of this detector's garbage.
var linePool = sync.Pool{New: func() any { return new([]string) }}

// splitLines appends the lines of text to lines, as strings.Split(text, "\n").
func splitLines(lines []string, text string) []string {
	for {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			return append(lines, text)
		}
		lines = append(lines, text[:i])
		text = text[i+1:]
	}
}

// setupCSV finds the header row of delimited files, reading the whole file
// when a diff did not add line 1.
func (s *scanner) setupCSV(frag *detect.Fragment, ext string) {
	delimited := ext == ".csv" || ext == ".tsv" || ext == ".psv"
	if !delimited && ext != ".txt" && ext != "" {
		return
	}
	header := ""
	s.csvHeaderLine = -1
	if frag.FileLine(1) == 1 {
		header, s.csvHeaderLine = s.lines[0], 0
	} else if delimited {
		whole, err := frag.Whole()
		if err != nil {
			return
		}
		header, _, _ = strings.Cut(whole, "\n")
	}
	s.csvCols, s.delim = csvHeader(strings.TrimSuffix(header, "\r"))
}

// record is the personal data of one data subject as far as the layout
// shows: a CSV row, an SQL tuple, a JSON object, a log line.
type record struct {
	hits     []hit
	first    int
	last     int
	personal bool
	kinds    map[kind]bool
	primary  hit
}

// records groups hits: a new record starts after a gap of lines or when
// a key (or, in free text, a kind) repeats.
func records(hits []hit) []*record {
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].line != hits[j].line {
			return hits[i].line < hits[j].line
		}
		return hits[i].col < hits[j].col
	})
	var out []*record
	var cur *record
	for _, h := range hits {
		if cur == nil || h.line-cur.last > windowLines || repeats(cur, h) {
			cur = &record{first: h.line, kinds: map[kind]bool{}}
			out = append(out, cur)
		}
		cur.hits = append(cur.hits, h)
		cur.last = h.line
		cur.kinds[h.kind] = true
	}
	for _, r := range out {
		r.evaluate()
	}
	return out
}

func repeats(r *record, h hit) bool {
	if h.kind == kHealth || !r.kinds[h.kind] {
		return false
	}
	for _, o := range r.hits {
		if o.kind == h.kind && o.key == h.key && o.val != h.val {
			return true
		}
	}
	return false
}

// evaluate decides whether a record is personal data on its own terms:
// a validated identifier, or weaker data tied to a person.
func (r *record) evaluate() {
	k := r.kinds
	if k[kSortCode] && k[kAccount] {
		k[kBank] = true
	}
	named := k[kName]
	// Weak data becomes personal next to a name, or next to other details
	// of the same person (an email beside a phone number or birth date).
	corroborated := named || k[kPhone] || k[kDOB] || k[kAddress] || k[kNHS] || k[kNINO]
	best := -1
	for _, h := range r.hits {
		strong := h.strong || h.kind == kEmail && corroborated || h.kind == kDOB && named || h.kind == kIP && r.ipTied(h) || h.kind == kAddress && named ||
			h.kind == kPhone && named || (h.kind == kSortCode || h.kind == kAccount) && k[kBank]
		if !strong {
			continue
		}
		r.personal = true
		kd := h.kind
		if kd == kSortCode || kd == kAccount {
			kd = kBank
		}
		if rank := kindInfo[kd].rank; best < 0 || rank < best {
			best = rank
			r.primary = h
			r.primary.kind = kd
		}
	}
	if !r.personal && named && k[kHealth] {
		r.personal = true
		r.primary = r.hits[0]
		r.primary.kind = kHealth
	}
}

// ipTied reports whether an IP address belongs to a person in the record:
// under an IP key next to a name or email, or on the same line as a name,
// email or account (a log entry "user=... ip=...").
func (r *record) ipTied(ip hit) bool {
	for _, h := range r.hits {
		person := h.kind == kName || h.kind == kEmail
		if person && ip.key != "" || (person || h.kind == kUser) && h.line == ip.line {
			return true
		}
	}
	return false
}

// dataExts are files that hold records rather than code or prose.
var dataExts = setOf(".eml", ".mbox", ".msg", ".log", ".csv", ".tsv", ".psv", ".json", ".jsonl", ".ndjson", ".sql", ".ipynb", ".xml", ".xlsx", ".out")

// skipExts are certificates and keys, whose subject fields are not records.
var skipExts = setOf(".pem", ".crt", ".cer", ".key", ".csr", ".p12", ".asc", ".gpg", ".sig")

// dataKinds lists the kinds of personal data in a record set, sorted.
func dataKinds(rs []*record) []string {
	seen := map[kind]bool{}
	for _, r := range rs {
		for k := range r.kinds {
			seen[k] = true
		}
	}
	delete(seen, kUser)
	if seen[kBank] {
		delete(seen, kSortCode)
		delete(seen, kAccount)
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, string(k))
	}
	sort.Strings(out)
	return out
}

func (d *Detector) recordFindings(frag *detect.Fragment, hits []hit) []finding.Finding {
	var personal []*record
	subjects := map[string]bool{}
	for _, r := range records(hits) {
		if r.personal {
			personal = append(personal, r)
			subjects[string(r.primary.kind)+"\x00"+r.primary.val] = true
		}
	}
	if len(personal) == 0 {
		return nil
	}
	if len(subjects) >= d.bulk {
		return []finding.Finding{d.bulkFinding(frag, personal, len(subjects))}
	}
	out := make([]finding.Finding, 0, len(personal))
	for _, r := range personal {
		out = append(out, d.singleFinding(frag, r))
	}
	return out
}

func (d *Detector) base(frag *detect.Fragment, rule, class string, first, last int) finding.Finding {
	return finding.Finding{
		RuleID:    rule,
		Detector:  d.Name(),
		Category:  finding.DataExposure,
		Class:     class,
		Path:      frag.Path,
		StartLine: frag.FileLine(first),
		EndLine:   frag.FileLine(last),
		Commit:    frag.Commit,
	}
}

func (d *Detector) bulkFinding(frag *detect.Fragment, rs []*record, subjects int) finding.Finding {
	kinds := dataKinds(rs)
	f := d.base(frag, "pii-bulk-records", "bulk", rs[0].first, rs[len(rs)-1].last)
	f.Title = "Bulk personal data"
	f.Message = fmt.Sprintf("%d records of personal data (about %d people; %s) in one file: treat as a bulk "+
		"exposure, remove it from the repository and history and replace it with synthetic data", len(rs), subjects, strings.Join(kinds, ", "))
	f.Redacted = fmt.Sprintf("bulk: %d records [%s]", len(rs), strings.Join(kinds, ", "))
	f.Fingerprint = finding.Fingerprint(f.RuleID, frag.Path, fmt.Sprintf("bulk:%d", f.StartLine))
	f.Confidence = finding.High
	f.DataKinds = kinds
	f.Subjects = subjects
	for _, k := range kinds {
		if k == string(kHealth) {
			f.Tags = append(f.Tags, "special-category")
		}
	}
	return f
}

func (d *Detector) singleFinding(frag *detect.Fragment, r *record) finding.Finding {
	p := r.primary
	info := kindInfo[p.kind]
	class := "single-record"
	if r.kinds[kHealth] {
		class = "special-category"
	}
	kinds := dataKinds([]*record{r})
	f := d.base(frag, "pii-"+string(p.kind), class, r.first, r.last)
	f.Title = info.title
	f.Message = fmt.Sprintf("%s found (%s); remove the personal data and use synthetic test data instead", info.title, strings.Join(kinds, ", "))
	if class == "special-category" {
		f.Message = fmt.Sprintf("%s with health (special category) data found (%s); remove it and use synthetic data", info.title, strings.Join(kinds, ", "))
	}
	f.Redacted = redact(p.kind, p.val)
	f.Fingerprint = finding.Fingerprint(f.RuleID, frag.Path, fmt.Sprintf("%s:%d", p.kind, f.StartLine))
	f.Confidence = p.conf
	if len(kinds) > 1 && f.Confidence == finding.Low {
		f.Confidence = finding.Medium
	}
	f.DataKinds = kinds
	f.Subjects = 1
	f.Secret = p.val
	return f
}

// redact shows the kind and at most the last two characters (four for
// cards, as printed on receipts); names, dates and addresses show none.
func redact(k kind, v string) string {
	label := kindInfo[k].label
	tail := func(n int) string {
		if len(v) <= n*3 {
			return ""
		}
		return v[len(v)-n:]
	}
	switch k {
	case kNHS:
		return "NHS ***-***-**" + tail(2)
	case kCard:
		return "card ****-****-****-" + tail(4)
	case kEmail:
		tld := v[strings.LastIndexByte(v, '.')+1:]
		return "email " + v[:1] + "***@***." + tld
	case kNINO, kUTR, kVAT, kPassport, kLicence, kIBAN, kPhone, kBank:
		return label + " ****" + tail(2)
	}
	return label + " [redacted]"
}

func (d *Detector) markingFinding(frag *detect.Fragment, m marking, line int) finding.Finding {
	info := markingInfo[m]
	f := d.base(frag, info.rule, info.class, line, line)
	f.Title = info.title
	f.Message = fmt.Sprintf("document carries a UK Government Security Classification marking (%s); material at this "+
		"level must not be in this repository: remove it and report it to the security team", info.class)
	f.Redacted = "marking: " + strings.ToUpper(info.class)
	f.Fingerprint = finding.Fingerprint(f.RuleID, frag.Path, fmt.Sprintf("marking:%d", f.StartLine))
	f.Confidence = finding.High
	if m == markOfficial {
		f.Confidence = finding.Medium
	}
	f.DataKinds = []string{"classification-marking"}
	return f
}
