package crypto

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// spareMemoryKiB is how much memory calibration may give one derivation: a
// quarter of what the system reports available now (Linux's MemAvailable), so
// unlocking never pushes a laptop into swap. Where the system does not say, it is
// the 256 MiB ceiling. calibrate keeps the result between the floor and the
// ceiling.
func spareMemoryKiB() uint64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return calibrationMaxMemoryKiB
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemAvailable:" {
			if kib, err := strconv.ParseUint(fields[1], 10, 64); err == nil {
				return kib / 4
			}
		}
	}
	return calibrationMaxMemoryKiB
}
