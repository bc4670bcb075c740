package scan

import (
	"os"
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
