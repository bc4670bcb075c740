// Package secrets is the credential (CL) detector. It runs gitleaks' rules as
// a library, honouring a repository's .gitleaks.toml, .gitleaksignore and
// gitleaks:allow comments, adds rules for what teams using AI assistants leak
// most, and drops placeholders and documented example values.
package secrets

//lint:file-ignore SA1019 teams' configs still use gitleaks' deprecated [allowlist] form, which we must merge.

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/spf13/viper"
	glconfig "github.com/zricethezav/gitleaks/v8/config"
)

// extraRules are aiguard's additions to gitleaks' default rules, in
// gitleaks' own TOML format so that teams can read and override them the
// same way.
//
//go:embed rules.toml
var extraRules string

// ConfigError is a bad gitleaks configuration, named by file.
type ConfigError struct {
	File   string
	Reason string
}

func (e *ConfigError) Error() string { return e.File + ": " + e.Reason }

// maxExtendDepth matches gitleaks: a config may extend one that extends one.
const maxExtendDepth = 2

var (
	defaultOnce sync.Once
	defaultVC   glconfig.ViperConfig
	defaultErr  error
)

// readViper decodes TOML with a private viper instance. gitleaks' own
// loader uses the global viper and a global extend counter that never
// resets, so loading an extending config a third time in one process
// silently drops the default rules; we never let it do the extending.
func readViper(name string, data []byte) (glconfig.ViperConfig, error) {
	v := viper.New()
	v.SetConfigType("toml")
	var vc glconfig.ViperConfig
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		return vc, &ConfigError{File: name, Reason: "invalid TOML: " + oneLine(err.Error())}
	}
	if err := v.Unmarshal(&vc); err != nil {
		return vc, &ConfigError{File: name, Reason: oneLine(err.Error())}
	}
	return vc, nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func defaults() (glconfig.ViperConfig, error) {
	defaultOnce.Do(func() {
		defaultVC, defaultErr = readViper("gitleaks default config", []byte(glconfig.DefaultConfig))
		if defaultErr != nil {
			return
		}
		var extra glconfig.ViperConfig
		extra, defaultErr = readViper("aiguard rules.toml", []byte(extraRules))
		if defaultErr == nil {
			defaultVC = merge(defaultVC, extra, nil)
		}
	})
	return defaultVC, defaultErr
}

// LoadConfig returns the rules to run: gitleaks' defaults plus aiguard's,
// or the configuration at path (usually the repository's .gitleaks.toml)
// with its [extend] section resolved. path "" means defaults.
func LoadConfig(path string) (glconfig.Config, error) {
	var vc glconfig.ViperConfig
	var err error
	if path == "" {
		vc, err = defaults()
	} else {
		vc, err = resolve(path, 0)
	}
	if err != nil {
		return glconfig.Config{}, err
	}
	name := path
	if name == "" {
		name = "gitleaks default config"
	}
	cfg, err := translate(name, vc)
	if err != nil {
		return cfg, err
	}
	if path != "" {
		// gitleaks skips scanning its own config file by this path.
		cfg.Path = filepath.ToSlash(filepath.Base(path))
	}
	return cfg, nil
}

func resolve(path string, depth int) (glconfig.ViperConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return glconfig.ViperConfig{}, &ConfigError{File: path, Reason: "cannot read: " + err.Error()}
	}
	vc, err := readViper(path, data)
	if err != nil {
		return vc, err
	}
	// Only a team's own files: the built-in rules are known to compile, and
	// checking them would cost every run's start-up.
	if err := checkPatterns(path, vc); err != nil {
		return vc, err
	}
	ext := vc.Extend
	vc.Extend = glconfig.Extend{}
	switch {
	case ext.URL != "":
		return vc, &ConfigError{File: path, Reason: "[extend] url is not supported; use path or useDefault"}
	case ext.UseDefault && ext.Path != "":
		return vc, &ConfigError{File: path, Reason: "[extend] cannot set both path and useDefault"}
	case depth >= maxExtendDepth && (ext.UseDefault || ext.Path != ""):
		return vc, &ConfigError{File: path, Reason: fmt.Sprintf("[extend] nests deeper than %d configs", maxExtendDepth)}
	case ext.UseDefault:
		base, err := defaults()
		if err != nil {
			return vc, err
		}
		return merge(base, vc, ext.DisabledRules), nil
	case ext.Path != "":
		p := ext.Path
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(path), p)
		}
		base, err := resolve(p, depth+1)
		if err != nil {
			return vc, err
		}
		return merge(base, vc, ext.DisabledRules), nil
	}
	return vc, nil
}

// merge overlays child on base the way gitleaks' [extend] does: a rule with
// the same id takes the child's non-empty fields and the union of tags,
// keywords and allowlists; disabled ids are dropped; allowlists add up.
func merge(base, child glconfig.ViperConfig, disabled []string) glconfig.ViperConfig {
	off := map[string]bool{}
	for _, id := range disabled {
		off[id] = true
	}
	out := child
	out.Rules = nil
	index := map[string]int{}
	for _, r := range base.Rules {
		if off[r.ID] {
			continue
		}
		index[r.ID] = len(out.Rules)
		out.Rules = append(out.Rules, r)
	}
	for _, c := range child.Rules {
		i, ok := index[c.ID]
		if !ok {
			index[c.ID] = len(out.Rules)
			out.Rules = append(out.Rules, c)
			continue
		}
		b := out.Rules[i]
		if c.Description != "" {
			b.Description = c.Description
		}
		if c.Entropy != 0 {
			b.Entropy = c.Entropy
		}
		if c.SecretGroup != 0 {
			b.SecretGroup = c.SecretGroup
		}
		if c.Regex != "" {
			b.Regex = c.Regex
		}
		if c.Path != "" {
			b.Path = c.Path
		}
		b.Tags = append(append([]string(nil), b.Tags...), c.Tags...)
		b.Keywords = append(append([]string(nil), b.Keywords...), c.Keywords...)
		// Full slice expressions make append copy, so the shared default
		// config is never written through.
		if c.AllowList != nil {
			b.Allowlists = append(b.Allowlists[:len(b.Allowlists):len(b.Allowlists)], c.AllowList)
		}
		b.Allowlists = append(b.Allowlists[:len(b.Allowlists):len(b.Allowlists)], c.Allowlists...)
		out.Rules[i] = b
	}
	if base.AllowList != nil {
		out.Allowlists = append(out.Allowlists, base.AllowList)
	}
	out.Allowlists = append(out.Allowlists, base.Allowlists...)
	return out
}

// translate compiles the rules. gitleaks compiles regexes with MustCompile,
// so a bad pattern in a team's config panics; we turn that into an error.
func translate(name string, vc glconfig.ViperConfig) (cfg glconfig.Config, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &ConfigError{File: name, Reason: oneLine(fmt.Sprint(r))}
		}
	}()
	cfg, err = vc.Translate()
	if err != nil {
		return cfg, &ConfigError{File: name, Reason: oneLine(err.Error())}
	}
	return cfg, nil
}

// checkPatterns compiles a config's patterns with Go's RE2 parser first: the
// RE2 engine the release build uses logs its own errors to stderr before
// gitleaks panics, and an error here is one clean line naming the rule.
func checkPatterns(name string, vc glconfig.ViperConfig) error {
	check := func(where, pattern string) error {
		if pattern == "" {
			return nil
		}
		if _, err := regexp.Compile(pattern); err != nil {
			return &ConfigError{File: name, Reason: fmt.Sprintf("%s: invalid regular expression: %v", where, err)}
		}
		return nil
	}
	for _, r := range vc.Rules {
		if err := check("rule "+r.ID+" regex", r.Regex); err != nil {
			return err
		}
		if err := check("rule "+r.ID+" path", r.Path); err != nil {
			return err
		}
		for _, a := range r.Allowlists {
			for _, re := range append(append([]string(nil), a.Regexes...), a.Paths...) {
				if err := check("rule "+r.ID+" allowlist", re); err != nil {
					return err
				}
			}
		}
	}
	for _, a := range vc.Allowlists {
		for _, re := range append(append([]string(nil), a.Regexes...), a.Paths...) {
			if err := check("allowlist", re); err != nil {
				return err
			}
		}
	}
	return nil
}
