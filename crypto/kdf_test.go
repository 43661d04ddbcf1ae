package crypto

import (
	"bytes"
	"errors"
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
	// A machine's cost is proportional to time x memory; it is named by
	// how long one derivation at the floor takes.
	machine := func(atFloor time.Duration) func(KDFParams) time.Duration {
		return func(p KDFParams) time.Duration {
			return atFloor * time.Duration(p.Time) * time.Duration(p.MemoryKiB) / (3 * 64 << 10)
		}
	}
	tests := []struct {
		name    string
		target  time.Duration
		measure func(KDFParams) time.Duration
		exact   *KDFParams // expected result, if pinned
	}{
		{"slow machine stays at floor", 700 * time.Millisecond, machine(2 * time.Second), &floor},
		{"exact machine stays at floor", 700 * time.Millisecond, machine(700 * time.Millisecond), &floor},
		{"zero target", 0, machine(time.Millisecond), &floor},
		{"negative target", -time.Second, machine(time.Millisecond), &floor},
		{"fast machine raises memory", 700 * time.Millisecond, machine(100 * time.Millisecond), nil},
		{"very fast machine hits the ceiling", 700 * time.Millisecond, machine(time.Millisecond), nil},
		{"clock reports zero", 700 * time.Millisecond, func(KDFParams) time.Duration { return 0 }, nil},
		{"clock goes backwards", 700 * time.Millisecond, func(KDFParams) time.Duration { return -time.Second }, nil},
		{"huge target", 24 * time.Hour, machine(time.Second), nil},
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
			got := calibrate(tt.target, floor, measure)
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
			if steps > calibrationMaxSteps {
				t.Fatalf("took %d measurements, want at most %d", steps, calibrationMaxSteps)
			}
			if tt.exact != nil && got != *tt.exact {
				t.Fatalf("calibrate = %+v, want %+v", got, *tt.exact)
			}
		})
	}
}

func TestCalibrateReachesTarget(t *testing.T) {
	floor := KDFParams{Algorithm: "argon2id", Time: 3, MemoryKiB: 64 << 10, Threads: 2}
	// The floor takes 0.2 s here, so 700ms needs about 3.5 times the memory.
	measure := func(p KDFParams) time.Duration {
		return 200 * time.Millisecond * time.Duration(p.Time) * time.Duration(p.MemoryKiB) / (3 * 64 << 10)
	}
	got := calibrate(700*time.Millisecond, floor, measure)
	if d := measure(got); d < 500*time.Millisecond || d > time.Second {
		t.Fatalf("calibrate = %+v takes %v, want 0.5-1 s", got, d)
	}
	if got.Time != floor.Time {
		t.Fatalf("calibrate = %+v raised time before memory reached its ceiling", got)
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

// TestCalibrateKeepsTheStepBeforeAnOvershoot: when a raise makes the derivation far
// slower than its work suggests (memory pressure on a busy machine), calibration
// keeps the previous parameters if they already reached half the target.
func TestCalibrateKeepsTheStepBeforeAnOvershoot(t *testing.T) {
	floor := KDFParams{Algorithm: kdfAlgorithm, Time: 3, MemoryKiB: 64 << 10, Threads: 2}
	measure := func(p KDFParams) time.Duration {
		if p.MemoryKiB <= 64<<10 {
			return 400 * time.Millisecond
		}
		return 1800 * time.Millisecond // the raise overshoots badly
	}
	if got := calibrate(700*time.Millisecond, floor, measure); got != floor {
		t.Fatalf("calibrate = %+v; want the floor, which took 400 ms, over a raise that took 1.8 s", got)
	}
}
