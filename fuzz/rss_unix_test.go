//go:build unix

package fuzz

import (
	"os"
	"runtime"
	"syscall"
)

// maxRSS returns the peak resident size of a finished process in KiB
// (ru_maxrss is in KiB, in bytes on macOS).
func maxRSS(p *os.ProcessState) (int64, bool) {
	ru, ok := p.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, false
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return int64(ru.Maxrss) >> 10, true
	}
	return int64(ru.Maxrss), true
}
