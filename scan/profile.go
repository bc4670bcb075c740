package scan

import (
	"os"
	"runtime/debug"
	"runtime/pprof"
)

// ProfileEnv names an environment variable that, when set to a file path,
// makes every scan write a CPU profile there (see README "Performance").
// It is read at scan time so profiling needs no flag in any front end.
const ProfileEnv = "AIGUARD_CPUPROFILE"

// startProfile starts the CPU profile ProfileEnv asks for and returns the
// function that stops it; a profile that cannot be written is not a reason
// to fail a scan.
func startProfile() func() {
	path := os.Getenv(ProfileEnv)
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// gcPercent is the collector target during a scan unless GOGC says
// otherwise. A scan's live heap is small and steady (compiled rules plus the
// fragments in flight), so the default of 100 mostly buys idle headroom: 50
// cut peak RSS by about 12% for about 2% more CPU on a history scan.
const gcPercent = 50

// tuneGC applies gcPercent for the duration of a scan and returns the
// function that restores the previous setting.
func tuneGC() func() {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(gcPercent)
	return func() { debug.SetGCPercent(old) }
}
