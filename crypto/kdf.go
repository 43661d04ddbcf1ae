package crypto

import (
	"crypto/rand"
	"errors"
	"fmt"
	"runtime"
	"time"

	"golang.org/x/crypto/argon2"
)

// ErrKDFParams is returned (wrapped) when key derivation parameters are
// unknown or outside the bounds this package accepts. Parameters come from a
// vault header on disk, so a crafted header must be refused before Argon2id
// allocates memory or burns CPU on its behalf.
var ErrKDFParams = errors.New("crypto: unsupported key derivation parameters")

// KDFParams are the Argon2id cost parameters stored in a vault key slot next
// to its salt, so a vault created on a fast desktop can still be opened with
// exactly the same work on a slower laptop.
type KDFParams struct {
	Algorithm string `json:"alg"` // always "argon2id"
	Time      uint32 `json:"t"`   // passes over memory
	MemoryKiB uint32 `json:"m"`   // memory in KiB
	Threads   uint8  `json:"p"`   // lanes
}

const (
	// kdfAlgorithm is the only algorithm accepted in a key slot.
	kdfAlgorithm = "argon2id"

	// Floor from DESIGN.md: never below t=3, m=64 MiB.
	minKDFTime      = 3
	minKDFMemoryKiB = 64 << 10

	// Bounds applied when parameters are read from a file.
	maxKDFTime      = 16
	maxKDFMemoryKiB = 1 << 20 // 1 GiB
	maxKDFThreads   = 16
	maxKDFWork      = 4 << 20 // Time*MemoryKiB: 4 GiB worth of passes

	// calibrationMaxMemoryKiB caps what calibration asks for. A vault made on
	// a fast desktop must still open on an ordinary laptop, so memory stops
	// at 256 MiB (what age's scrypt uses) and further cost goes into time.
	// 256 MiB x 16 passes is exactly maxKDFWork.
	calibrationMaxMemoryKiB = 256 << 10
	calibrationMaxSteps     = 4

	minSaltSize = 16
	saltSize    = 32
)

// testCost is set only by kdf_testcost.go, which is compiled only with the
// casenotes_testkdf build tag, so production binaries cannot lower the cost.
var testCost bool

// MinKDFParams returns the floor every new key slot must meet: Argon2id with
// t=3 and m=64 MiB, using up to four lanes. It is also the starting point of
// calibration.
func MinKDFParams() KDFParams {
	threads := min(4, runtime.NumCPU())
	return KDFParams{
		Algorithm: kdfAlgorithm,
		Time:      minKDFTime,
		MemoryKiB: minKDFMemoryKiB,
		Threads:   uint8(max(1, threads)),
	}
}

// CalibrateKDF returns parameters for which one derivation takes roughly
// target on this machine (callers pass about 700ms), so each passphrase
// guess costs an attacker as much as the user is willing to wait at unlock.
// It starts at [MinKDFParams], raises memory up to 256 MiB and then time, and
// never returns parameters below the floor or outside what [KDFParams.Check]
// accepts. It runs two to four derivations, each aimed at target, so for the
// targets the design uses it finishes in one to three seconds.
//
// In binaries built with the casenotes_testkdf tag it returns cheap
// parameters instantly so test suites that create vaults stay fast.
func CalibrateKDF(target time.Duration) KDFParams {
	if testCost {
		return KDFParams{Algorithm: kdfAlgorithm, Time: 1, MemoryKiB: 64, Threads: 1}
	}
	return calibrate(target, MinKDFParams(), measureKDF)
}

// measureKDF times one derivation with p on a throwaway passphrase and salt.
func measureKDF(p KDFParams) time.Duration {
	start := time.Now()
	key := argon2.IDKey([]byte("casenotes calibration"), NewSalt(), p.Time, p.MemoryKiB, p.Threads, KeySize)
	elapsed := time.Since(start)
	Zero(key)
	return elapsed
}

// calibrate raises floor until measure reports at least three quarters of
// target, the ceiling is reached or calibrationMaxSteps measurements were
// taken. It only ever raises parameters, so the result is never below floor.
//
// Memory-hard work does not scale linearly (page faults, a busy machine), so a
// raise can overshoot: if the last step took more than twice the target while the
// step before already took at least half of it, the step before is kept.
func calibrate(target time.Duration, floor KDFParams, measure func(KDFParams) time.Duration) KDFParams {
	p := floor
	var prev KDFParams
	var prevTook time.Duration
	for range calibrationMaxSteps {
		took := measure(p)
		if 4*took >= 3*target {
			if took > 2*target && prevTook > 0 && 2*prevTook >= target {
				return prev
			}
			return p
		}
		prev, prevTook = p, took
		next := raiseKDF(p, target, took)
		if next == p {
			return p
		}
		p = next
	}
	return p
}

// raiseKDF scales the work of p by target/took (at most eightfold per step,
// so one noisy measurement cannot overshoot wildly), putting it into memory
// up to calibrationMaxMemoryKiB and then into time, within the read bounds.
func raiseKDF(p KDFParams, target, took time.Duration) KDFParams {
	took = max(took, time.Millisecond)
	factor := min(float64(target)/float64(took), 8)
	if factor <= 1 {
		return p
	}
	work := float64(p.Time) * float64(p.MemoryKiB) * factor
	next := p
	if mem := work / float64(p.Time); mem <= calibrationMaxMemoryKiB {
		next.MemoryKiB = max(p.MemoryKiB, uint32(mem)&^1023) // whole MiB
	} else {
		next.MemoryKiB = max(p.MemoryKiB, calibrationMaxMemoryKiB)
		next.Time = max(p.Time, uint32(work/float64(next.MemoryKiB)+0.5))
	}
	next.Time = min(next.Time, maxKDFTime, uint32(maxKDFWork/uint64(next.MemoryKiB)))
	next.Time = max(next.Time, p.Time)
	return next
}

// Check reports whether p is safe to run. It is applied to parameters read
// from a vault header, so it bounds memory, time and total work to keep a
// crafted header from becoming a memory or time bomb, and it never runs
// Argon2id itself.
func (p KDFParams) Check() error {
	switch {
	case p.Algorithm != kdfAlgorithm:
		return fmt.Errorf("%w: algorithm %q, want %q", ErrKDFParams, p.Algorithm, kdfAlgorithm)
	case p.Time < 1 || p.Time > maxKDFTime:
		return fmt.Errorf("%w: time %d outside 1..%d", ErrKDFParams, p.Time, maxKDFTime)
	case p.Threads < 1 || p.Threads > maxKDFThreads:
		return fmt.Errorf("%w: threads %d outside 1..%d", ErrKDFParams, p.Threads, maxKDFThreads)
	case p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxKDFMemoryKiB:
		// RFC 9106 requires at least 8 KiB per lane.
		return fmt.Errorf("%w: memory %d KiB outside %d..%d", ErrKDFParams, p.MemoryKiB, 8*uint32(p.Threads), maxKDFMemoryKiB)
	case uint64(p.Time)*uint64(p.MemoryKiB) > maxKDFWork:
		return fmt.Errorf("%w: time x memory %d KiB exceeds %d", ErrKDFParams, uint64(p.Time)*uint64(p.MemoryKiB), maxKDFWork)
	}
	return nil
}

// CheckFloor reports whether p meets the floor this build creates slots with
// ([MinKDFParams]; the cheap test cost in test builds). It is applied to slots read
// from a header, so a header holding a weaker slot (an old one, or one put there to
// make guessing cheap) is refused rather than used.
func (p KDFParams) CheckFloor() error {
	floor := MinKDFParams()
	if testCost {
		floor = CalibrateKDF(0)
	}
	if p.Time < floor.Time || p.MemoryKiB < floor.MemoryKiB {
		return fmt.Errorf("%w: t=%d, m=%d KiB is below the floor t=%d, m=%d KiB", ErrKDFParams, p.Time, p.MemoryKiB, floor.Time, floor.MemoryKiB)
	}
	return nil
}

// DeriveKey turns a passphrase into a 32-byte key-encryption key with
// Argon2id. It checks p first, because p and salt usually come from a file,
// and requires a salt of at least 16 bytes so slots never share a key.
func DeriveKey(passphrase, salt []byte, p KDFParams) ([]byte, error) {
	if err := p.Check(); err != nil {
		return nil, err
	}
	if len(salt) < minSaltSize {
		return nil, fmt.Errorf("%w: salt of %d bytes, want at least %d", ErrKDFParams, len(salt), minSaltSize)
	}
	return argon2.IDKey(passphrase, salt, p.Time, p.MemoryKiB, p.Threads, KeySize), nil
}

// NewSalt returns 32 random bytes for a new key slot; a fresh salt per slot
// means one Argon2id guess cannot be reused across slots or vaults.
func NewSalt() []byte {
	salt := make([]byte, saltSize)
	rand.Read(salt) // never fails since Go 1.24; it crashes the program instead.
	return salt
}
