package cli

import (
	"context"

	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/report"
)

// trackIncidents opens or updates GitHub tracking issues for the report.
func trackIncidents(ctx context.Context, env *Env, f *ScanFlags, cfg *config.Config, rep *report.Report) error {
	return usageErr("--create-issues is not available yet")
}
