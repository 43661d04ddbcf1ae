package crypto

import (
	"bytes"
	"errors"
	"runtime/metrics"
	"testing"
	"time"
)

// cheapKDF is what CalibrateKDF returns under the casenotes_testkdf tag.
var cheapKDF = KDFParams{Algorithm: "argon2id", Time: 1, MemoryKiB: 64, Threads: 1}

func TestMinKDFParams(t *testing.T) {
	p := MinKDFParams()
	if p.Algorithm != "argon2id" || p.Time != 3 || p.MemoryKiB != 64<<10 || p.Threads < 1 || p.Threads > 4 {
		t.Fatalf("MinKDFParams() = %+v, want argon2id t=3 m=65536 p=1..4", p)
	}
	if err := p.Check(); err != nil {
		t.Fatalf("floor fails its own Check: %v", err)
	}
}

func TestKDFParamsCheck(t *testing.T) {
	ok := func(mod func(*KDFParams)) KDFParams {
		p := KDFParams{Algorithm: "argon2id", Time: 3, MemoryKiB: 64 << 10, Threads: 4}
		mod(&p)
		return p
	}
	tests := []struct {
		name  string
		p     KDFParams
		valid bool
	}{
		{"floor", MinKDFParams(), true},
		{"test cost", cheapKDF, true},
		{"max memory", ok(func(p *KDFParams) { p.MemoryKiB, p.Time = 1<<20, 4 }), true},
		{"max time", ok(func(p *KDFParams) { p.MemoryKiB, p.Time = 256<<10, 16 }), true},
		{"max threads", ok(func(p *KDFParams) { p.Threads = 16 }), true},
		{"unknown algorithm", ok(func(p *KDFParams) { p.Algorithm = "argon2i" }), false},
		{"empty algorithm", ok(func(p *KDFParams) { p.Algorithm = "" }), false},
		{"upper-case algorithm", ok(func(p *KDFParams) { p.Algorithm = "Argon2id" }), false},
		{"zero time", ok(func(p *KDFParams) { p.Time = 0 }), false},
		{"huge time", ok(func(p *KDFParams) { p.Time = 1 << 31 }), false},
		{"time 17", ok(func(p *KDFParams) { p.Time = 17; p.MemoryKiB = 64 }), false},
		{"zero memory", ok(func(p *KDFParams) { p.MemoryKiB = 0 }), false},
		{"memory below 8 KiB per lane", ok(func(p *KDFParams) { p.MemoryKiB = 31 }), false},
		{"huge memory", ok(func(p *KDFParams) { p.MemoryKiB = 1<<32 - 1 }), false},
		{"memory 1 GiB + 1 KiB", ok(func(p *KDFParams) { p.MemoryKiB = 1<<20 + 1; p.Time = 1 }), false},
		{"zero threads", ok(func(p *KDFParams) { p.Threads = 0 }), false},
		{"17 threads", ok(func(p *KDFParams) { p.Threads = 17 }), false},
		{"255 threads", ok(func(p *KDFParams) { p.Threads = 255 }), false},
		{"work over 4 GiB passes", ok(func(p *KDFParams) { p.MemoryKiB, p.Time = 1<<20, 5 }), false},
		{"time and memory both at max", ok(func(p *KDFParams) { p.MemoryKiB, p.Time = 1<<20, 16 }), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Check()
			if tt.valid && err != nil {
				t.Fatalf("Check(%+v) = %v, want nil", tt.p, err)
			}
			if !tt.valid {
				if !errors.Is(err, ErrKDFParams) {
					t.Fatalf("Check(%+v) = %v, want ErrKDFParams", tt.p, err)
				}
				// DeriveKey must refuse before running Argon2id: with these
				// parameters a run would allocate gigabytes or take minutes.
				start := time.Now()
				if _, err := DeriveKey([]byte("pw"), NewSalt(), tt.p); !errors.Is(err, ErrKDFParams) {
					t.Fatalf("DeriveKey(%+v) = %v, want ErrKDFParams", tt.p, err)
				}
				if d := time.Since(start); d > 100*time.Millisecond {
					t.Fatalf("rejecting %+v took %v; Argon2id must not run", tt.p, d)
				}
			}
		})
	}
}

func TestDeriveKey(t *testing.T) {
	salt := bytes.Repeat([]byte{7}, 32)
	base, err := DeriveKey([]byte("correct horse"), salt, cheapKDF)
	if err != nil {
		t.Fatal(err)
	}
	if len(base) != KeySize {
		t.Fatalf("key is %d bytes, want %d", len(base), KeySize)
	}
	tests := []struct {
		name       string
		passphrase string
		salt       []byte
		p          KDFParams
		same       bool
	}{
		{"same inputs", "correct horse", salt, cheapKDF, true},
		{"other passphrase", "correct horsf", salt, cheapKDF, false},
		{"other salt", "correct horse", bytes.Repeat([]byte{8}, 32), cheapKDF, false},
		{"16-byte salt", "correct horse", salt[:16], cheapKDF, false},
		{"other time", "correct horse", salt, KDFParams{"argon2id", 2, 64, 1}, false},
		{"other memory", "correct horse", salt, KDFParams{"argon2id", 1, 128, 1}, false},
		{"other threads", "correct horse", salt, KDFParams{"argon2id", 1, 64, 2}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := DeriveKey([]byte(tt.passphrase), tt.salt, tt.p)
			if err != nil {
				t.Fatal(err)
			}
			if got := bytes.Equal(key, base); got != tt.same {
				t.Fatalf("equal to base key = %v, want %v", got, tt.same)
			}
		})
	}
}

// After a derivation the collector's next goal is set from what is live, not
// from the derivation's memory: otherwise what the caller does next (opening a
// store) grows the heap to twice the derivation's size before anything is
// collected, and the unlock's peak doubles.
func TestDerivationLeavesNoRoomForTheHeapToDouble(t *testing.T) {
	const memKiB = 64 << 10 // 64 MiB, the floor of a real vault
	goal := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
	if _, err := DeriveKey([]byte("correct horse"), bytes.Repeat([]byte{7}, 32),
		KDFParams{Algorithm: "argon2id", Time: 1, MemoryKiB: memKiB, Threads: 1}); err != nil {
		t.Fatal(err)
	}
	metrics.Read(goal)
	if got := goal[0].Value.Uint64(); got >= memKiB<<10 {
		t.Fatalf("the heap may grow to %d MiB before the next collection, want less than the derivation's %d MiB",
			got>>20, memKiB>>10)
	}
}

func TestDeriveKeyShortSalt(t *testing.T) {
	for _, n := range []int{0, 1, 15} {
		if _, err := DeriveKey([]byte("pw"), make([]byte, n), cheapKDF); !errors.Is(err, ErrKDFParams) {
			t.Errorf("salt of %d bytes: err = %v, want ErrKDFParams", n, err)
		}
	}
}

func TestNewSalt(t *testing.T) {
	a, b := NewSalt(), NewSalt()
	if len(a) != 32 || bytes.Equal(a, b) {
		t.Fatalf("NewSalt gave %d bytes, repeated = %v", len(a), bytes.Equal(a, b))
	}
}

func TestCalibrateNeverBelowFloor(t *testing.T) {
	floor := KDFParams{Algorithm: "argon2id", Time: 3, MemoryKiB: 64 << 10, Threads: 4}
	at256 := floor
	at256.MemoryKiB = 256 << 10
	// A machine's cost is proportional to time x memory; it is named by how long
	// one pass over 256 MiB takes.
	machine := func(perPass time.Duration) func(KDFParams) time.Duration {
		return func(p KDFParams) time.Duration {
			return perPass * time.Duration(p.Time) * time.Duration(p.MemoryKiB) / (256 << 10)
		}
	}
	tests := []struct {
		name    string
		target  time.Duration
		spare   uint64 // KiB the machine can spare
		measure func(KDFParams) time.Duration
		exact   *KDFParams // expected result, if pinned
	}{
		{"slow machine keeps three passes", 700 * time.Millisecond, 4 << 20, machine(2 * time.Second), &at256},
		{"zero target", 0, 4 << 20, machine(time.Millisecond), &at256},
		{"negative target", -time.Second, 4 << 20, machine(time.Millisecond), &at256},
		{"little memory to spare keeps the floor's", 700 * time.Millisecond, 10 << 10, machine(2 * time.Second), &floor},
		{"some memory to spare", 700 * time.Millisecond, 100 << 10, machine(2 * time.Second),
			&KDFParams{Algorithm: "argon2id", Time: 3, MemoryKiB: 100 << 10, Threads: 4}},
		{"fast machine raises passes", 700 * time.Millisecond, 4 << 20, machine(100 * time.Millisecond),
			&KDFParams{Algorithm: "argon2id", Time: 7, MemoryKiB: 256 << 10, Threads: 4}},
		{"very fast machine hits the ceiling", 700 * time.Millisecond, 4 << 20, machine(time.Millisecond), nil},
		{"clock reports zero", 700 * time.Millisecond, 4 << 20, func(KDFParams) time.Duration { return 0 }, nil},
		{"clock goes backwards", 700 * time.Millisecond, 4 << 20, func(KDFParams) time.Duration { return -time.Second }, nil},
		{"huge target", 24 * time.Hour, 4 << 20, machine(time.Second), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps := 0
			measure := func(p KDFParams) time.Duration {
				steps++
				if err := p.Check(); err != nil {
					t.Fatalf("measured out-of-bounds params %+v: %v", p, err)
				}
				return tt.measure(p)
			}
			got := calibrate(tt.target, floor, tt.spare, measure)
			if got.Algorithm != floor.Algorithm || got.Threads != floor.Threads ||
				got.Time < floor.Time || got.MemoryKiB < floor.MemoryKiB {
				t.Fatalf("calibrate = %+v, below floor %+v", got, floor)
			}
			if err := got.Check(); err != nil {
				t.Fatalf("calibrate = %+v fails Check: %v", got, err)
			}
			if got.MemoryKiB > calibrationMaxMemoryKiB {
				t.Fatalf("calibrate = %+v, memory above the %d KiB ceiling", got, calibrationMaxMemoryKiB)
			}
			if steps != calibrationTrials {
				t.Fatalf("took %d measurements, want %d", steps, calibrationTrials)
			}
			if tt.exact != nil && got != *tt.exact {
				t.Fatalf("calibrate = %+v, want %+v", got, *tt.exact)
			}
		})
	}
}

// TestCalibrateTakesTheFastestTrial: a busy moment only slows a trial down, so the
// passes come from the fastest one; a vault made while the machine was loaded
// does not stay at the floor.
func TestCalibrateTakesTheFastestTrial(t *testing.T) {
	floor := KDFParams{Algorithm: kdfAlgorithm, Time: 3, MemoryKiB: 64 << 10, Threads: 2}
	trials := []time.Duration{2 * time.Second, 300 * time.Millisecond, 900 * time.Millisecond}
	i := 0
	measure := func(p KDFParams) time.Duration {
		if p.Time != 1 || p.MemoryKiB != 256<<10 {
			t.Fatalf("trial with %+v, want one pass over 256 MiB", p)
		}
		i++
		return trials[i-1]
	}
	got := calibrate(2100*time.Millisecond, floor, 8<<20, measure)
	if got.Time != 7 || got.MemoryKiB != 256<<10 {
		t.Fatalf("calibrate = %+v; want 7 passes over 256 MiB (2.1 s at the fastest trial's 300 ms a pass)", got)
	}
}

func TestCalibrateKDF(t *testing.T) {
	start := time.Now()
	got := CalibrateKDF(700 * time.Millisecond)
	took := time.Since(start)
	if testCost {
		if got != cheapKDF {
			t.Fatalf("with casenotes_testkdf: CalibrateKDF = %+v, want %+v", got, cheapKDF)
		}
		return
	}
	floor := MinKDFParams()
	if got.Time < floor.Time || got.MemoryKiB < floor.MemoryKiB || got.Check() != nil {
		t.Fatalf("CalibrateKDF = %+v, below floor %+v or out of bounds", got, floor)
	}
	if took > 10*time.Second {
		t.Fatalf("CalibrateKDF took %v, want a few seconds", took)
	}
	t.Logf("CalibrateKDF(700ms) = %+v in %v", got, took)
}

func BenchmarkDeriveKey(b *testing.B) {
	p := MinKDFParams()
	salt := NewSalt()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DeriveKey([]byte("correct horse battery staple"), salt, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDeriveKeyCalibrated is the cost of one unlock on this machine: the
// parameters a new vault would get here (CalibrateKDF with the app's 700 ms target).
func BenchmarkDeriveKeyCalibrated(b *testing.B) {
	p := CalibrateKDF(700 * time.Millisecond)
	b.Logf("calibrated parameters: t=%d m=%d KiB p=%d", p.Time, p.MemoryKiB, p.Threads)
	salt := NewSalt()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DeriveKey([]byte("correct horse battery staple"), salt, p); err != nil {
			b.Fatal(err)
		}
	}
}
