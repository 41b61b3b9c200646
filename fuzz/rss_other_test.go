//go:build !unix

package fuzz

import "os"

func maxRSS(p *os.ProcessState) (int64, bool) { return 0, false }
