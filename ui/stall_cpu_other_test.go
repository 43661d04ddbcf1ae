//go:build !linux

package ui

import "time"

// threadCPU is not measured outside Linux: the benchmark's CPU figures read 0.
func threadCPU() time.Duration { return 0 }
