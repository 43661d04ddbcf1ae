package app

import (
	"encoding/json"
	"sort"
	"time"
)

// failureRecord is the on-disk record of failed unlocks (times only). It has to live
// outside the encrypted store because no key is open when an unlock fails.
type failureRecord struct {
	Failures []time.Time `json:"failed_unlocks"`
}

// failures returns the failed unlocks inside the lockout window, oldest first.
func (v *Vaults) failures(dir string, now time.Time) []time.Time {
	b, err := v.Disk.ReadFailures(dir)
	if err != nil || len(b) == 0 || len(b) > 64<<10 {
		return nil
	}
	var r failureRecord
	if json.Unmarshal(b, &r) != nil {
		return nil
	}
	var recent []time.Time
	for _, t := range r.Failures {
		if now.Sub(t) < LockoutWindow && !t.After(now.Add(time.Minute)) {
			recent = append(recent, t)
		}
	}
	sort.Slice(recent, func(i, j int) bool { return recent[i].Before(recent[j]) })
	return recent
}

// recordFailure stores the failed unlocks; a write error is ignored because it must
// not turn a wrong passphrase into a different message.
func (v *Vaults) recordFailure(dir string, fails []time.Time) {
	if len(fails) > 32 {
		fails = fails[len(fails)-32:]
	}
	for i := range fails {
		fails[i] = fails[i].UTC()
	}
	b, err := json.Marshal(failureRecord{Failures: fails})
	if err == nil {
		_ = v.Disk.WriteFailures(dir, b)
	}
}

// Lockout reports whether passphrase unlocks are refused now, and until when.
func (v *Vaults) Lockout(dir string) (time.Time, bool) {
	now := v.Now()
	fails := v.failures(dir, now)
	if len(fails) >= LockoutFailures {
		until := fails[len(fails)-1].Add(LockoutWindow)
		if now.Before(until) {
			return until, true
		}
	}
	return time.Time{}, false
}
