package scan

import (
	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/detect"
	"github.com/aiguard/aiguard/finding"
)

// extraDetectors builds the detectors beyond credentials.
func extraDetectors(cfg *config.Config) ([]detect.Detector, error) {
	return nil, nil
}

// parseTrailers reads a commit message's trailers.
func parseTrailers(msg string) []finding.Trailer { return nil }

// annotate names the AI tool each commit declares.
func annotate(fs []finding.Finding) {}
